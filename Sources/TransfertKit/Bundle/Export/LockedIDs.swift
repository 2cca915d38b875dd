import Foundation

/// The ids an export holds locks on, shared by its workers (released if the export fails).
final class LockedIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var set: [Int64] = []
    var ids: [Int64] { lock.withLock { set } }
    func insert(_ id: Int64) { lock.withLock { set.append(id) } }
    func remove(_ id: Int64) { lock.withLock { set.removeAll { $0 == id } } }
}
