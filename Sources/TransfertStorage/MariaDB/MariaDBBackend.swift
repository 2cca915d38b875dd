import Foundation
import TransfertFormats
import TransfertModel

/// A hosting on a MariaDB server: the registry in one database, each establishment in its own
/// (`<prefix>base_<id>`, with its own account), the connection settings of each written owner-only in
/// the hosting directory.
package struct MariaDBBackend: HostingBackend {
    package let name = "MariaDB"
    package let registry: any Registry
    package let establishments: any EstablishmentStore
    /// The operator's account, no database selected.
    package let server: MariaDBSettings
    /// The same account with the registry's database selected.
    package let registrySettings: MariaDBSettings
    package let prefix: String

    /// `settings.database` is the registry's database, which must exist; its tables are created when `create`.
    package init(settings: MariaDBSettings, prefix: String, credentialsDirectory: URL?, create: Bool) throws {
        registry = try SQLRegistry.mariaDB(settings: settings, create: create)
        registrySettings = settings
        server = settings.with(database: nil)
        self.prefix = prefix
        establishments = MariaDBEstablishmentStore(
            settings: server, prefix: prefix, credentialsDirectory: credentialsDirectory)
    }

    /// Scratch databases on the same server (`<prefix>scratch_<random>_base_<id>`, no accounts), all dropped
    /// by `remove()`.
    package func makeScratchDatabases(parent: URL?) throws -> ScratchDatabases {
        let scratchPrefix = "\(prefix)scratch_\(UUID().uuidString.prefix(8).lowercased())_"
        let store = MariaDBEstablishmentStore(settings: server, prefix: scratchPrefix, credentialsDirectory: nil)
        return ScratchDatabases(store: store) {
            for id in (try? store.databaseIDs()) ?? [] { try? store.remove(baseID: id) }
        }
    }
}
