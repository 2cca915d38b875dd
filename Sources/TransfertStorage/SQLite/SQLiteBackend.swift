import Foundation
import TransfertFormats
import TransfertModel

/// The embedded default backend: everything in SQLite files inside the hosting directory
/// (`registry.sqlite`, `bases/base_<id>.sqlite`).
public struct SQLiteBackend: HostingBackend {
    public let name = "SQLite"
    public let registry: any Registry
    public let establishments: any EstablishmentStore

    public init(directory: URL, create: Bool) throws {
        let registryPath = directory.appendingPathComponent("registry.sqlite").path
        registry = try SQLRegistry.sqlite(path: registryPath, create: create)
        if create { try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: registryPath) }
        establishments = SQLiteEstablishmentStore(directory: directory.appendingPathComponent("bases"))
    }
}
