import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

extension Hosting {
    /// The schema of an establishment freshly created here, as the backend reads it back: the profile's
    /// schema at its current version, created in a scratch database of this hosting's engine and read
    /// again. What an imported establishment is compared with — through the same backend, so the
    /// comparison says what differs, not how two engines spell the same thing.
    public func freshEstablishmentSchema() throws -> DatabaseSchema {
        let scratch = try backend.makeScratchDatabases(parent: nil)
        defer { scratch.remove() }
        try scratch.store.create(baseID: 1, schema: profile.databaseSchema)
        return try scratch.store.read(baseID: 1) { try $0.schema() }
    }
}
