import Foundation
import TransfertFormats
import TransfertModel

/// Brings a registry's schema up to date with ``RegistryMigration/all``, on any engine, recording each
/// migration applied in `registry_migration`.
///
/// A registry written before the one list is recognised from the engine's former records
/// (``SQLDialect/formerMigrations``) the first time it is opened: the migrations they cover are recorded
/// as applied, never run again, and only the later ones run.
package struct RegistryMigrator {
    package static let table = RegistryTable(
        "registry_migration",
        columns: [
            RegistryColumn("identifier", .text(maxCharacters: 255)),
            RegistryColumn("applied_at", .text(maxCharacters: 32)),
        ], primaryKey: ["identifier"])

    let executor: any SQLExecutor
    let dialect: any SQLDialect
    var migrations: [RegistryMigration] = RegistryMigration.all

    /// Runs what is not applied yet. An up-to-date registry is only read: opening it takes no write lock.
    package func migrate() throws {
        if try !executor.read({ try $0.exists(dialect.tableExistsQuery, [.text(Self.table.name)]) }) {
            for statement in RegistryDDL.createTable(Self.table, ifNotExists: true, in: dialect) {
                _ = try executor.transaction { try $0.execute(statement) }
            }
        }
        var applied = Set(try applied())
        if applied.isEmpty {
            try adoptFormerHistory()
            applied = Set(try self.applied())
        }
        for migration in migrations where !applied.contains(migration.identifier) {
            try executor.transaction { db in
                // Checked again in the transaction: another process may have applied it meanwhile.
                guard
                    try !db.exists(
                        "SELECT 1 FROM registry_migration WHERE identifier = ?", [.text(migration.identifier)])
                else { return }
                // Engines that commit DDL at once (MariaDB) apply each statement alone; the record comes last,
                // so a migration interrupted halfway is not recorded as applied.
                for change in migration.changes {
                    for (sql, values) in RegistryDDL.statements(for: change, in: dialect) {
                        try db.execute(sql, values)
                    }
                }
                try record([migration.identifier], in: db)
            }
        }
    }

    /// The identifiers recorded as applied, oldest first.
    package func applied() throws -> [String] {
        try executor.read { db in
            try db.rows("SELECT identifier FROM registry_migration").compactMap { $0.first?.textValue }
        }.sorted { (position(of: $0) ?? .max, $0) < (position(of: $1) ?? .max, $1) }
    }

    private func position(of identifier: String) -> Int? { migrations.firstIndex { $0.identifier == identifier } }

    /// Records as applied what the engine's former records cover, in one transaction.
    private func adoptFormerHistory() throws {
        guard let former = dialect.formerMigrations else { return }
        try executor.transaction { db in
            guard try db.exists(dialect.tableExistsQuery, [.text(former.table)]) else { return }
            let identifiers = try db.rows("SELECT identifier FROM \(dialect.quote(former.table))").compactMap {
                $0.first?.textValue
            }
            let covered = Set(identifiers.flatMap { former.covers[$0] ?? [] })
            try record(migrations.map(\.identifier).filter(covered.contains), in: db)
        }
    }

    private func record(_ identifiers: [String], in db: any SQLStatements) throws {
        let now = ISO8601DateFormatter().string(from: Date())
        for identifier in identifiers {
            try db.execute(
                dialect.insertOrIgnore(
                    into: "registry_migration", columns: ["identifier", "applied_at"], key: ["identifier"]),
                [.text(identifier), .text(now)])
        }
    }
}
