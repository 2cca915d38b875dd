import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Keeps this process's automatic locks alive while long work runs: every
/// ``StructureLock/heartbeatInterval`` it tells the registry that the locks of `ids()` are still held.
/// A process that dies stops refreshing, and its locks become stale after ``StructureLock/staleAfter``,
/// whichever host looks at them.
///
/// ```swift
/// let heartbeat = LockHeartbeat(registry: hosting.registry) { locked.ids }
/// defer { heartbeat.stop() }
/// ```
public final class LockHeartbeat {
    private let timer: DispatchSourceTimer

    public init(
        registry: any LockRegistry, interval: TimeInterval = StructureLock.heartbeatInterval,
        ids: @escaping @Sendable () -> [Int64]
    ) {
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler {
            let held = ids()
            // A refresh that fails is tried again at the next beat; one that keeps failing lets the lock
            // go stale, which is right: nobody can tell it is held.
            if !held.isEmpty { try? registry.refreshLocks(baseIDs: held, at: Date()) }
        }
        timer.resume()
    }

    /// Stops refreshing (the work is over; its locks are released or kept on purpose).
    public func stop() {
        timer.cancel()
    }

    deinit { timer.cancel() }
}
