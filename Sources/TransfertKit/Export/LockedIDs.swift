import Foundation
import Synchronization
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The ids an export holds locks on, shared by its workers (released if the export fails).
final class LockedIDs: Sendable {
    private let held = Mutex<[Int64]>([])
    var ids: [Int64] { held.withLock { $0 } }
    func insert(_ id: Int64) { held.withLock { $0.append(id) } }
    func remove(_ id: Int64) { held.withLock { $0.removeAll { $0 == id } } }
}
