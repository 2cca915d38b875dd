import Foundation
import TransfertFormats
import TransfertModel

/// Read access to one establishment database on PostgreSQL, inside one REPEATABLE READ, READ ONLY
/// transaction (``PostgreSQLEstablishmentStore/read(baseID:_:)``).
struct PostgreSQLEstablishmentReader: EstablishmentReader {
    let connection: PostgreSQLConnection

    func rows(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]] {
        try connection.query(PostgreSQLPlaceholders.numbered(sql), values)
    }

    func scalar(_ sql: String) throws -> SQLValue { try connection.scalar(sql) }

    func tableNames() throws -> [String] {
        try PostgreSQLSchemaReader(connection: connection).tableNames()
    }

    func columnNames(of table: String) throws -> [String] {
        try PostgreSQLSchemaReader(connection: connection).columnNames(of: table)
    }

    func schema() throws -> DatabaseSchema { try PostgreSQLSchemaReader(connection: connection).schema() }

    func rowCount(of table: String) throws -> Int64 {
        try connection.scalar("SELECT COUNT(*) FROM \(PostgreSQLQuoting.identifier(table))").integerValue ?? 0
    }

    func value(in table: String, column: String, where keyColumn: String, is key: String) throws -> SQLValue {
        try connection.query(
            "SELECT \(PostgreSQLQuoting.identifier(column)) FROM \(PostgreSQLQuoting.identifier(table)) WHERE \(PostgreSQLQuoting.identifier(keyColumn)) = $1 LIMIT 1",
            [.text(key)]
        ).first?.first ?? .null
    }

    /// None to report, and why: PostgreSQL proves its pages as it reads them (their checksums, when the
    /// cluster has them, and their headers always), and every row of every table is read by the digests
    /// that follow a restore. `amcheck`, which proves indexes against their tables, is an extension the
    /// establishment's role may not install (it is not a trusted extension), so it is not asked for.
    func integrityProblems() throws -> [Problem] { [] }

    func foreignKeyViolations(limit: Int) throws -> ForeignKeyCheck {
        try PostgreSQLForeignKeyChecker(connection: connection).check(limit: limit)
    }

    func forEachRawRow(of table: String, columns: [String], _ row: (any RawRow) throws -> Void) throws {
        let key = try PostgreSQLSchemaReader(connection: connection).primaryKey(of: table)
        // Primary-key order, else every column: the digest order, the same on every backend. NULL first and
        // text byte by byte (`COLLATE "C"`), as SQLite orders them. A primary key's columns are NOT NULL in
        // PostgreSQL, so they are ordered plainly: `NULLS FIRST` would not change their order, but the
        // key's index (NULLS LAST) could not give it, and every table would be sorted apart (on disk, for
        // a large one) instead of read along its index.
        let order =
            key.isEmpty
            ? columns.map { "\(PostgreSQLQuoting.identifier($0)) NULLS FIRST" } : key.map(PostgreSQLQuoting.identifier)
        try PostgreSQLCursor(connection: connection).forEachRow(
            "SELECT \(columns.map(PostgreSQLQuoting.identifier).joined(separator: ", ")) FROM \(PostgreSQLQuoting.identifier(table)) ORDER BY \(order.joined(separator: ", "))"
        ) { try row($0) }
    }
}
