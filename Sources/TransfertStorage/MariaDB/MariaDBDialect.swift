import TransfertFormats
import TransfertModel

/// MariaDB's spelling of what the registry needs (``SQLDialect``): InnoDB tables in `utf8mb4_bin` (text
/// compares byte for byte), keys on bounded `VARCHAR`s.
struct MariaDBDialect: SQLDialect {
    func quote(_ name: String) -> String { MySQLQuoting.identifier(name) }

    func columnType(_ type: RegistryColumnType) -> String {
        switch type {
        case .integer: return "BIGINT"
        case .int32: return "INT"
        case .flag: return "TINYINT"
        case .text(let maxCharacters): return "VARCHAR(\(maxCharacters))"
        case .longText: return "LONGTEXT"
        }
    }

    let autoIncrementPrimaryKey = "BIGINT PRIMARY KEY AUTO_INCREMENT"
    let tableOptions = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
    let declaresIndexesInTable = true

    /// A unique key cannot hold NULLs as one value, and MariaDB indexes no expression: each nullable column
    /// gets a persistent generated column holding it or 0, and the key is on those.
    func uniqueKeyWithNullAsValue(_ key: RegistryIndex, nullable: Set<String>, table: String) -> RegistryDDLParts {
        var parts = RegistryDDLParts()
        let columns = key.columns.map { column in
            guard nullable.contains(column) else { return quote(column) }
            let generated = quote("\(key.name)_\(column)")
            parts.columns.append("\(generated) BIGINT AS (IFNULL(\(quote(column)), 0)) PERSISTENT")
            return generated
        }
        parts.constraints.append("UNIQUE KEY \(quote(key.name)) (\(columns.joined(separator: ", ")))")
        return parts
    }

    func insertOrIgnore(into table: String, columns: [String], key: [String]) -> String {
        "INSERT IGNORE " + intoValues(table, columns: columns)
    }

    func insertOrReplace(into table: String, columns: [String], key: [String]) -> String {
        "REPLACE " + intoValues(table, columns: columns)
    }
    let nullSafeEquals = "<=>"
    /// InnoDB's transactions take no lock until they write: the writer locks the fingerprint row first,
    /// as SQLite's `BEGIN IMMEDIATE` makes writers wait.
    let writerLockClause: String? = "FOR UPDATE"
    let tableExistsQuery = "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?"

    /// MariaDB registries recorded eight migrations of their own in `transfert_migration`: their `v2` already
    /// had the lock heartbeat, their `v1` already named the metadata key `meta_key`.
    let formerMigrations: FormerMigrationHistory? = FormerMigrationHistory(
        table: "transfert_migration",
        covers: [
            "v1: zones, structures, hosting metadata": [
                "v1: zones, structures, hosting metadata", "v10: hosting metadata keyed by meta_key on every engine",
            ],
            "v2: structure locks": ["v2: structure locks", "v6: lock heartbeat"],
            "v3: transfer journal": ["v3: transfer journal"],
            "v4: import runs": ["v4: import runs"],
            "v5: outbox": ["v5: outbox"],
            "v6: access locks and maintenance windows": ["v7: access locks and maintenance windows"],
            "v7: moves, receipts and a fuller journal": ["v8: moves, receipts and a fuller journal"],
            "v8: establishments' own letter languages": ["v9: establishments' own letter languages"],
        ])
}
