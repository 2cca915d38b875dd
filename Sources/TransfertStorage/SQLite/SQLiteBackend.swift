import Foundation
import TransfertFormats
import TransfertModel

/// The embedded default backend: everything in SQLite files inside the hosting directory
/// (`registry.sqlite`, `bases/base_<id>.sqlite`).
package struct SQLiteBackend: HostingBackend {
    package let name = "SQLite"
    package let registry: any Registry
    package let establishments: any EstablishmentStore

    package init(directory: URL, create: Bool) throws {
        let registryPath = directory.appendingPathComponent("registry.sqlite").path
        registry = try SQLRegistry.sqlite(path: registryPath, create: create)
        if create { try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: registryPath) }
        establishments = SQLiteEstablishmentStore(directory: directory.appendingPathComponent("bases"))
    }
}
