import Foundation
import TransfertFormats
import TransfertModel

extension SQLiteBackend {
    package func makeScratchDatabases(parent: URL?) throws -> ScratchDatabases {
        try Self.scratchDatabases(parent: parent)
    }

    /// SQLite files in a private temporary directory, removed whole. Also what `verify` uses without a
    /// hosting: SQLite needs no server.
    package static func scratchDatabases(parent: URL?) throws -> ScratchDatabases {
        let directory = try WorkDirectory.create(prefix: "transfert-verify", parent: parent)
        return ScratchDatabases(store: SQLiteEstablishmentStore(directory: directory, durable: false)) {
            try? FileManager.default.removeItem(at: directory)
        }
    }
}
