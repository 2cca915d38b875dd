import Foundation
import TransfertModel
import TransfertStorage

extension Hosting {
    /// Refuses an establishment that is not here and active (moved away, being imported), or closed to its
    /// users (a maintenance window in progress, a lock): a feed writes only where the establishment lives
    /// and is open.
    func requireActive(baseID: Int64) throws {
        guard let structure = try registry.structure(baseID: baseID) else {
            throw FeedError.unknownEstablishment(baseID: baseID)
        }
        guard structure.status == .active else {
            throw FeedError.notActive(baseID: baseID, status: structure.status.rawValue)
        }
        // A maintenance window in progress or a lock keeps users out: the establishment is being worked on
        // (an export for a move, a restore), and a feed would change it behind that work.
        if let state = try HostingAccess(registry: registry, settings: accessSettings).state(baseID: baseID),
            state.state.isClosed
        {
            throw FeedError.closed(baseID: baseID, state: state.state.rawValue)
        }
    }
}
