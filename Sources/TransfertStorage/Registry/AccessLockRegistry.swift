import Foundation
import TransfertFormats
import TransfertModel

/// The locks people set — the webmaster's and an establishment administrator's — which users see as the
/// reason they cannot log in. (The automatic locks of the tools at work are a ``LockRegistry``.)
///
/// A lock is identified by its kind and its establishment (`nil`: every establishment): setting it again
/// replaces its reason.
public protocol AccessLockRegistry: Sendable {
    /// Sets `lock` (webmaster or administrator), returning the lock it replaced, if any.
    func setAccessLock(_ lock: AccessLock) throws -> AccessLock?
    /// Removes the locks of `kinds` on `baseID` (`nil`: the lock on every establishment), returning them.
    func removeAccessLocks(kinds: [AccessLock.Kind], baseID: Int64?) throws -> [AccessLock]
    /// Every lock people set, the all-establishment ones first, then by establishment and kind.
    func accessLocks() throws -> [AccessLock]
}
