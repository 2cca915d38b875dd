import Foundation
import TransfertFormats
import TransfertModel

/// Access locks on establishments, which the application reads to refuse access and say why.
///
/// An automatic lock (a dump, a restore) carries a heartbeat: its holder refreshes it every
/// ``StructureLock/heartbeatInterval``, and a lock not refreshed for ``StructureLock/staleAfter`` is stale,
/// whichever host took it (a registry on a server is shared by several hosts). A lock whose holder is a
/// dead process of this host is stale at once.
public protocol LockRegistry: Sendable {
    /// Takes `lock`, refusing with ``LockError/locked(_:)`` if a live lock is already there.
    /// Stale locks are replaced.
    func acquire(_ lock: StructureLock) throws
    /// Replaces an automatic lock by a kept one (`--keep-locked`).
    func keep(baseID: Int64, message: String) throws
    /// Removes the lock of `baseID`, if any.
    func releaseLock(baseID: Int64) throws
    /// Records that this process still holds its automatic locks on `baseIDs` (the heartbeat).
    func refreshLocks(baseIDs: [Int64], at date: Date) throws
    /// Current locks at `date`, after removing the stale ones (returned in `cleared`).
    func locks(at date: Date) throws -> (live: [StructureLock], cleared: [StructureLock])
    /// Every lock as stored, stale ones included, without writing anything (for readers such as the portal,
    /// which leave the clearing — and its report — to `lock list` and `doctor`).
    func storedLocks() throws -> [StructureLock]
}

extension LockRegistry {
    /// Current locks, after removing stale ones.
    public func locks() throws -> [StructureLock] { try locks(at: Date()).live }
}
