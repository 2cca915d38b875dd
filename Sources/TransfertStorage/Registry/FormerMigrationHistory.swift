import TransfertFormats
import TransfertModel

/// Where an engine's registries recorded their migrations before the one list
/// (``RegistryMigration/all``), and which migrations of the list each former identifier stands for.
///
/// SQLite registries recorded GRDB's identifiers in `grdb_migrations` (the same nine as the list's first
/// nine); MariaDB registries their own eight in `transfert_migration`, whose `v2` already had the lock
/// heartbeat and whose `v1` already named the metadata key `meta_key`. A registry whose
/// `registry_migration` is still empty is read once from there: nothing runs twice.
package struct FormerMigrationHistory: Sendable {
    package var table: String
    /// A former identifier → the identifiers of ``RegistryMigration/all`` it covers.
    package var covers: [String: [String]]

    package init(table: String, covers: [String: [String]]) {
        self.table = table
        self.covers = covers
    }
}
