import Foundation
import TransfertFormats
import TransfertModel

/// Read access to one establishment database on MariaDB, inside a consistent snapshot.
struct MariaDBEstablishmentReader: EstablishmentReader {
    let connection: MariaDBConnection
    let database: String

    func rows(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]] {
        try connection.rows(sql, values)
    }

    func scalar(_ sql: String) throws -> SQLValue {
        guard let text = try connection.query(sql).first?.first ?? nil else { return .null }
        if let integer = Int64(text) { return .integer(integer) }
        if let real = Double(text), text.contains(".") || text.lowercased().contains("e") { return .real(real) }
        return .text(text)
    }

    func tableNames() throws -> [String] {
        try connection.query(
            """
            SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(connection.literal(database))
            AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME != \(connection.literal(MariaDBDDL.viewTable)) ORDER BY TABLE_NAME
            """
        ).compactMap { $0[0] }
    }

    func columnNames(of table: String) throws -> [String] {
        try connection.query(
            """
            SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = \(connection.literal(database))
            AND TABLE_NAME = \(connection.literal(table)) ORDER BY ORDINAL_POSITION
            """
        ).compactMap { $0[0] }
    }

    func schema() throws -> DatabaseSchema {
        try MariaDBSchemaReader(connection: connection, database: database).schema()
    }

    func forEachRawRow(of table: String, columns: [String], _ row: (any RawRow) throws -> Void) throws {
        let keys = try connection.query(
            """
            SELECT k.COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE k
            WHERE k.TABLE_SCHEMA = \(connection.literal(database)) AND k.TABLE_NAME = \(connection.literal(table)) AND k.CONSTRAINT_NAME = 'PRIMARY'
            ORDER BY k.ORDINAL_POSITION
            """
        ).compactMap { $0[0] }
        // Primary-key order, else every column: the digest order, the same on every backend.
        let order = (keys.isEmpty ? columns : keys).map(MySQLQuoting.identifier).joined(separator: ", ")
        let statement = try connection.prepare(
            "SELECT \(columns.map(MySQLQuoting.identifier).joined(separator: ", ")) FROM \(MySQLQuoting.identifier(table)) ORDER BY \(order)"
        )
        try statement.forEachRow { try row($0) }
    }

    func rowCount(of table: String) throws -> Int64 {
        Int64(try connection.scalar("SELECT COUNT(*) FROM \(MySQLQuoting.identifier(table))") ?? "0") ?? 0
    }

    func value(in table: String, column: String, where keyColumn: String, is key: String) throws -> SQLValue {
        var result = SQLValue.null
        try connection.prepare(
            "SELECT \(MySQLQuoting.identifier(column)) FROM \(MySQLQuoting.identifier(table)) WHERE \(MySQLQuoting.identifier(keyColumn)) = ?"
        )
        .forEachRow([.text(key)]) { row in if case .null = result { result = row.value(at: 0) } }
        return result
    }

    func integrityProblems() throws -> [Problem] {
        var problems: [Problem] = []
        for table in try tableNames() {
            for row in try connection.query("CHECK TABLE \(MySQLQuoting.identifier(table))") {
                let type = row.count > 2 ? row[2] ?? "" : ""
                let text = row.count > 3 ? row[3] ?? "" : ""
                if type.lowercased() == "error" || (type.lowercased() == "status" && text != "OK") {
                    problems.append(
                        Problem(
                            code: .restoreIntegrity, message: "\(table): \(text)",
                            location: ProblemLocation(field: table)))
                }
            }
        }
        return problems
    }

    func foreignKeyViolations(limit: Int) throws -> ForeignKeyCheck {
        try MariaDBForeignKeyChecker(connection: connection, database: database).check(limit: limit)
    }
}
