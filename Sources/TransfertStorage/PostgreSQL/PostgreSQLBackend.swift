import Foundation
import TransfertFormats
import TransfertModel

/// A hosting on a PostgreSQL server: the registry in one database, each establishment in its own
/// (`<prefix>base_<id>`, owned by its own role), the connection settings of each written owner-only in the
/// hosting directory.
package struct PostgreSQLBackend: HostingBackend {
    package let name = "PostgreSQL"
    package let registry: any Registry
    package let establishments: any EstablishmentStore
    /// The operator's role on the registry's database (administrative statements run there too).
    package let registrySettings: PostgreSQLSettings
    package let prefix: String

    /// `settings.database` is the registry's database, which must exist; its tables are created when `create`.
    package init(settings: PostgreSQLSettings, prefix: String, credentialsDirectory: URL?, create: Bool) throws {
        registry = try SQLRegistry.postgreSQL(settings: settings, create: create)
        registrySettings = settings
        self.prefix = prefix
        establishments = PostgreSQLEstablishmentStore(
            settings: settings, prefix: prefix, credentialsDirectory: credentialsDirectory, ownerPrefix: prefix)
    }

    /// Scratch databases on the same server (`<prefix>scratch_<host>_<pid>_<random>_base_<id>`, the operator's
    /// own, no roles), all dropped by `remove()`. The name says which process of which host made them, so
    /// that those of a process killed before it could drop them are dropped by the next one here (a kill
    /// -9 during `verify --deep` or an import would otherwise leave whole databases behind, unseen).
    package func makeScratchDatabases(parent: URL?) throws -> ScratchDatabases {
        try ScratchDatabaseOwner.current.dropLeftovers(prefix: "\(prefix)scratch_", settings: registrySettings)
        let scratchPrefix =
            "\(prefix)scratch_\(ScratchDatabaseOwner.current.tag)_\(UUID().uuidString.prefix(4).lowercased())_"
        let store = PostgreSQLEstablishmentStore(
            settings: registrySettings, prefix: scratchPrefix, credentialsDirectory: nil, ownerPrefix: nil)
        return ScratchDatabases(store: store) {
            for id in (try? store.databaseIDs()) ?? [] { try? store.remove(baseID: id) }
        }
    }

    /// What PostgreSQL keeps of `schema` only in part, for the import's report.
    package func caveats(for schema: DatabaseSchema) -> [String] {
        var caveats: [String] = []
        let expressions =
            schema.tables.contains {
                !$0.checks.isEmpty
                    || $0.indexes.contains { $0.predicate != nil || $0.terms.contains { $0.expression != nil } }
            }
            || !schema.views.isEmpty
        if expressions {
            caveats.append(
                "CHECK constraints, expression or partial indexes and views were created as declared, and PostgreSQL runs their expressions by its own rules, which differ from SQLite's in places (LIKE is case-sensitive on PostgreSQL, and a comparison between text and a number is refused rather than made)"
            )
        }
        let keyed = schema.tables.contains { table in
            let textual = Set(table.columns.filter { $0.type == .text || $0.type == .blob }.map(\.name))
            return table.indexes.contains { !Set($0.columns).isDisjoint(with: textual) }
                || table.constraints.contains { $0.kind == .unique && !Set($0.columns).isDisjoint(with: textual) }
                || table.columns.contains {
                    textual.contains($0.name) && $0.constraints.contains { $0.kind == .unique }
                }
        }
        if keyed {
            caveats.append(
                "a PostgreSQL index holds values of about 2,700 bytes at most: a longer text or blob in an indexed column is refused when it is written (SQLite indexes any length; a MySQL FULLTEXT key is kept declared but not built, so it takes any length)"
            )
        }
        return caveats
    }
}
