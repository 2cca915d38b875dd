import Foundation
import TransfertModel
import TransfertStorage

extension Hosting {
    /// Refuses an establishment that is not here and active (moved away, being imported): a feed writes
    /// only where the establishment lives.
    func requireActive(baseID: Int64) throws {
        guard let structure = try registry.structure(baseID: baseID) else {
            throw FeedError.unknownEstablishment(baseID: baseID)
        }
        guard structure.status == .active else {
            throw FeedError.notActive(baseID: baseID, status: structure.status.rawValue)
        }
    }
}
