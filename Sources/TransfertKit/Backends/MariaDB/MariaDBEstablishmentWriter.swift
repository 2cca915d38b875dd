import Foundation

/// Write access to one establishment database on MariaDB, inside a transaction (or a load).
struct MariaDBEstablishmentWriter: EstablishmentWriter {
    let connection: MariaDBConnection
    let database: String

    /// The profile's migrations: one or several statements, run one at a time.
    func execute(_ sql: String) throws {
        let bytes = Array(sql.utf8)
        let tokens = try SQLTokenizer.tokens(of: bytes)
        let starts = SchemaStatementParser.statementRanges(tokens).map { tokens[$0.lowerBound].offset }
        for (index, start) in starts.enumerated() {
            let end = index + 1 < starts.count ? starts[index + 1] : bytes.count
            var statement = String(decoding: bytes[start..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if statement.hasSuffix(";") { statement.removeLast() }
            if !statement.isEmpty { try connection.execute(statement) }
        }
    }

    func createTable(_ table: TableSchema) throws {
        try connection.execute(try MariaDBDDL.createTable(table))
    }

    func createIndex(_ index: IndexSchema, on table: String) throws {
        // A column first created as LONGTEXT/LONGBLOB (no key knew of it then) becomes a type MariaDB
        // indexes in full, so the index means what it says (a prefix index would make UNIQUE lie).
        let types = try connection.query("""
            SELECT COLUMN_NAME, DATA_TYPE, COLUMN_COMMENT, IS_NULLABLE FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = \(connection.literal(database)) AND TABLE_NAME = \(connection.literal(table))
            """)
        for row in types where index.columns.contains(row[0] ?? "") && (row[1] == "longtext" || row[1] == "longblob") {
            let type = row[1] == "longtext"
                ? "VARCHAR(\(MariaDBDDL.keyCharacters)) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" : "VARBINARY(\(MariaDBDDL.keyCharacters * 4))"
            let comment = (row[2] ?? "").replacingOccurrences(of: "'", with: "''")
            try connection.execute("ALTER TABLE \(mariaDBQuote(table)) MODIFY \(mariaDBQuote(row[0]!)) \(type)\(row[3] == "NO" ? " NOT NULL" : "") COMMENT '\(comment)'")
        }
        try connection.execute(try MariaDBDDL.createIndex(index, on: table))
    }

    func createView(_ view: ViewSchema) throws {
        try connection.execute(MariaDBDDL.createView(view))
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS \(mariaDBQuote(MariaDBDDL.viewTable)) (name VARCHAR(255) PRIMARY KEY, columns LONGTEXT NOT NULL,
              select_text LONGTEXT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
            """)
        try connection.run("REPLACE INTO \(mariaDBQuote(MariaDBDDL.viewTable)) (name, columns, select_text) VALUES (?, ?, ?)",
                           [.text(view.name), .text(view.columns.joined(separator: "\u{1F}")), .text(view.select)])
    }

    func createTrigger(_ trigger: TriggerSchema) throws {
        throw SchemaReadError(object: "trigger \(trigger.name) of table \(trigger.table)",
                              message: "its body is SQLite's SQL, which MariaDB does not run; a MariaDB hosting needs the trigger written for MariaDB")
    }

    func setValue(_ value: SQLValue, in table: String, column: String, where keyColumn: String, is key: String) throws {
        try connection.prepare("UPDATE \(mariaDBQuote(table)) SET \(mariaDBQuote(column)) = ? WHERE \(mariaDBQuote(keyColumn)) = ?")
            .execute([value, .text(key)])
    }

    func foreignKeyViolations(limit: Int) throws -> ForeignKeyCheck {
        try MariaDBForeignKeyChecker(connection: connection, database: database).check(limit: limit)
    }

    func makeInserter(table: String, columns: [String]) throws -> any RowInserter {
        MariaDBRowInserter(connection: connection, table: table, columns: columns)
    }
}

/// Inserts rows with multi-row prepared statements: up to ``groupSize`` rows per execution, within the
/// protocol's 65,535 parameters.
final class MariaDBRowInserter: RowInserter {
    let connection: MariaDBConnection
    let table: String
    let columns: [String]
    let groupSize: Int
    private var single: MariaDBStatement?
    private var group: MariaDBStatement?

    init(connection: MariaDBConnection, table: String, columns: [String]) {
        self.connection = connection
        self.table = table
        self.columns = columns
        groupSize = max(1, min(256, 65_535 / max(1, columns.count)))
    }

    private func statement(rows: Int) throws -> MariaDBStatement {
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        return try connection.prepare("INSERT INTO \(mariaDBQuote(table)) (\(columns.map(mariaDBQuote).joined(separator: ", "))) VALUES "
                                      + Array(repeating: tuple, count: rows).joined(separator: ", "))
    }

    func insert(_ values: [SQLValue]) throws {
        try insert(row: SQLValueRow(values: values))
    }

    func insert(row: some RawRow) throws {
        if single == nil { single = try statement(rows: 1) }
        try single!.execute(rows: CollectionOfOne(row))
    }

    func insert<Rows: RandomAccessCollection>(rows: Rows) throws where Rows.Element: RawRow {
        var start = rows.startIndex
        while rows.distance(from: start, to: rows.endIndex) >= groupSize {
            if group == nil { group = try statement(rows: groupSize) }
            let end = rows.index(start, offsetBy: groupSize)
            try group!.execute(rows: rows[start..<end])
            start = end
        }
        for row in rows[start...] { try insert(row: row) }
    }
}
