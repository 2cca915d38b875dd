import Foundation
import TransfertModel

/// A value of a MySQL dump refused by ``MySQLValueCoercion``, with its place in the SQL (file, line,
/// column) and in the data (``MySQLValueProblem``: table, row, column, value, reason).
public struct MySQLValueRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The dump file: `<inner ZIP>/<SQL file>` for a SACoche base.
    public var entry: String
    public var line: Int
    /// The character where the value starts on its line.
    public var column: Int
    public var problem: MySQLValueProblem

    public var description: String { "\(entry) line \(line), column \(column): \(problem)" }
}
