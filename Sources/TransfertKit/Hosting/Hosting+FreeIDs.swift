import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

extension Hosting {
    /// Whether nothing is left at `baseID` outside the registry: no database in the store (a killed
    /// import, a database restored by hand) and no files directory. The registry adds its own rule (above
    /// the largest registered id) in ``EstablishmentRegistry/freeIDs(count:reserved:isFree:)``.
    public func hasNothingAt(baseID: Int64) -> Bool {
        !establishments.exists(baseID: baseID)
            && !FileManager.default.fileExists(atPath: filesDirectory(baseID: baseID).path)
    }

    /// The test a new id must pass: nothing left at it, and no establishment that moved away had it
    /// (its old address redirects for good). The moves are read now, outside the registry transaction
    /// the test then runs in.
    public func freeIDTest() throws -> @Sendable (Int64) -> Bool {
        let moved = Set(try registry.moves().map(\.baseID))
        let hosting = self
        return { id in !moved.contains(id) && hosting.hasNothingAt(baseID: id) }
    }

    /// The ids new establishments would get now, in order: what `import --dry-run` shows, and what
    /// `import` and `structure add` then take (in one registry transaction, by the same rule).
    public func freeIDs(count: Int, reserved: Set<Int64> = []) throws -> [Int64] {
        try registry.freeIDs(count: count, reserved: reserved, isFree: try freeIDTest())
    }
}
