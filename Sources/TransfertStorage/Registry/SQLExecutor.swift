import Foundation
import TransfertFormats
import TransfertModel

/// How the registry reaches a database engine: statements with bound values, rows back as neutral
/// values, and transactions. A driver (SQLite through GRDB, MariaDB through Connector/C, SQLite in memory
/// for tests) implements it; the SQL it runs is written once, in ``SQLRegistry``, with what differs
/// between engines asked of an ``SQLDialect``.
package protocol SQLExecutor: Sendable {
    /// Runs `body` on the connection, one caller at a time; each statement sees what is committed (on
    /// SQLite, one read transaction for the whole body).
    func read<T>(_ body: (any SQLStatements) throws -> T) throws -> T
    /// Runs `body` in one transaction, all or nothing: committed when it returns, rolled back when it
    /// throws. On an engine where a transaction waits for writers only when it first writes (SQLite's
    /// `BEGIN IMMEDIATE` does not), ``SQLDialect/writerLockClause`` makes writers wait for each other.
    func transaction<T>(_ body: (any SQLStatements) throws -> T) throws -> T
}

/// The statements of one connection, inside ``SQLExecutor/read(_:)`` or ``SQLExecutor/transaction(_:)``.
/// Values are always bound, never spliced into the text.
package protocol SQLStatements {
    /// Runs one statement; returns the rows it changed as the engine counts them (MariaDB counts only rows
    /// whose values changed: compare with a query first when "found" matters).
    @discardableResult
    func execute(_ sql: String, _ values: [SQLValue]) throws -> Int64
    /// The rows of a query as neutral values (the registry's tables are small).
    func rows(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]]
    /// The id the engine gave the row the last INSERT on this connection added to an auto-increment key.
    var lastInsertID: Int64 { get }
}

extension SQLStatements {
    @discardableResult
    package func execute(_ sql: String) throws -> Int64 { try execute(sql, []) }

    package func rows(_ sql: String) throws -> [[SQLValue]] { try rows(sql, []) }

    /// The first row of a query, if any.
    package func row(_ sql: String, _ values: [SQLValue] = []) throws -> [SQLValue]? { try rows(sql, values).first }

    /// Whether a query returns a row.
    package func exists(_ sql: String, _ values: [SQLValue] = []) throws -> Bool { try row(sql, values) != nil }
}
