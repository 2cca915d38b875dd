import Foundation
import TransfertModel

/// Why ``MySQLCreateTable`` wrote nothing. Its callers say it in their own words (SACoche's export,
/// a MariaDB restore): each knows what the person should do about it.
public enum MySQLCreateTableError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The MySQL declaration does not have one entry per column of the table.
    case columnsNotDeclared(table: String)
    /// `index` (its neutral name) is on an expression, has a collation or a `WHERE`: a MySQL key cannot say it.
    case keyNotOnPlainColumns(table: String, index: String)
    /// The table's engine is not one of the style's (`allowed`, sorted).
    case engineNotAllowed(table: String, engine: String, allowed: [String])

    public var description: String {
        switch self {
        case .columnsNotDeclared(let table):
            return "table \(table): its MySQL declaration does not list its columns"
        case .keyNotOnPlainColumns(let table, let index):
            return "index \(index) of table \(table): a MySQL key is on plain columns only"
        case .engineNotAllowed(let table, let engine, let allowed):
            return "table \(table): ENGINE=\(engine) is not one of \(allowed.joined(separator: ", "))"
        }
    }
}
