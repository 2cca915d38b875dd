import Foundation
import TransfertModel

/// One value of a MySQL table that a MySQL server in strict mode would refuse or store changed
/// (``MySQLValueCoercion``), with its place: table, row, primary key, column and value.
public struct MySQLValueProblem: Error, Equatable, Sendable, CustomStringConvertible, Codable {
    public var table: String
    /// 1-based, in the order the rows were read (the primary key's).
    public var row: Int64
    /// `user_id = 7`: the row's primary key, when the table has one.
    public var key: String?
    public var column: String
    /// The value as it would be written, cut after 60 characters.
    public var value: String
    public var reason: String

    public var description: String {
        "table \(table), row \(row)\(key.map { " (\($0))" } ?? ""), column \(column), value \(value): \(reason)"
    }
}
