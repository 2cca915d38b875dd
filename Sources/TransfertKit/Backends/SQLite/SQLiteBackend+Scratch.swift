import Foundation

extension SQLiteBackend {
    public func makeScratchDatabases(parent: URL?) throws -> ScratchDatabases {
        try Self.scratchDatabases(parent: parent)
    }

    /// SQLite files in a private temporary directory, removed whole. Also what `verify` uses without a
    /// hosting: SQLite needs no server.
    public static func scratchDatabases(parent: URL?) throws -> ScratchDatabases {
        let directory = (parent ?? FileManager.default.temporaryDirectory)
            .appendingPathComponent("transfert-verify-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return ScratchDatabases(store: SQLiteEstablishmentStore(directory: directory)) {
            try? FileManager.default.removeItem(at: directory)
        }
    }
}
