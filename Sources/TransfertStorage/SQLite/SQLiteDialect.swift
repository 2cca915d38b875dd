import TransfertFormats
import TransfertModel

/// SQLite's spelling of what the registry needs (``SQLDialect``).
struct SQLiteDialect: SQLDialect {
    func quote(_ name: String) -> String { quoteIdentifier(name) }

    /// SQLite keeps any integer in INTEGER and any text in TEXT: lengths are not declared.
    func columnType(_ type: RegistryColumnType) -> String {
        switch type {
        case .integer, .int32, .flag: return "INTEGER"
        case .text, .longText: return "TEXT"
        }
    }

    /// AUTOINCREMENT: an id is never given twice, even after the last row was deleted.
    let autoIncrementPrimaryKey = "INTEGER PRIMARY KEY AUTOINCREMENT"
    let tableOptions = ""
    let declaresIndexesInTable = false

    /// A unique index on an expression: NULL becomes 0.
    func uniqueKeyWithNullAsValue(_ key: RegistryIndex, nullable: Set<String>, table: String) -> RegistryDDLParts {
        let terms = key.columns.map { nullable.contains($0) ? "IFNULL(\(quote($0)), 0)" : quote($0) }
        return RegistryDDLParts(statementsAfter: [
            "CREATE UNIQUE INDEX \(quote(key.name)) ON \(quote(table)) (\(terms.joined(separator: ", ")))"
        ])
    }

    func insertOrIgnore(into table: String, columns: [String], key: [String]) -> String {
        "INSERT OR IGNORE " + intoValues(table, columns: columns)
    }

    func insertOrReplace(into table: String, columns: [String], key: [String]) -> String {
        "INSERT OR REPLACE " + intoValues(table, columns: columns)
    }
    let nullSafeEquals = "IS"
    /// None needed: every transaction is `BEGIN IMMEDIATE` (``SQLiteExecutor``).
    let writerLockClause: String? = nil
    let tableExistsQuery = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"

    /// GRDB's `DatabaseMigrator` recorded the same nine identifiers as the list's first nine.
    let formerMigrations: FormerMigrationHistory? = FormerMigrationHistory(
        table: "grdb_migrations",
        covers: Dictionary(
            uniqueKeysWithValues: [
                "v1: zones, structures, hosting metadata", "v2: structure locks", "v3: transfer journal",
                "v4: import runs", "v5: outbox",
                "v6: lock heartbeat", "v7: access locks and maintenance windows",
                "v8: moves, receipts and a fuller journal",
                "v9: establishments' own letter languages",
            ].map { ($0, [$0]) }))
}
