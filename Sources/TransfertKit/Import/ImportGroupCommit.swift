import Foundation
import TransfertStorage

/// Makes restored establishments active in the registry together: one transaction, and its syncs, for
/// every establishment that finished while the previous transaction was being committed.
///
/// On SQLite a registry commit costs four syncs (journal, journal header, database, directory): on a
/// busy disk more than the whole restore of a small establishment. So a restore hands its completion
/// over and goes on with the next establishment, and a thread of its own commits what has gathered: as
/// soon as ``fullBatch`` have, or when the oldest has waited ``longestWait`` (the portal then shows it
/// active within its second), or at the end.
///
/// What a kill leaves does not change: an establishment whose completion is not committed yet is still
/// *importing* under a restore lock of this process, as it was while it was restored, and a rerun
/// removes it and imports it again with the same id (``ReclaimedIDs``). Its database and files were
/// made durable by the restore before it was handed over, so a committed completion never points at
/// data the disk could still lose.
final class ImportGroupCommit: @unchecked Sendable {
    private let registry: any ImportRunRegistry
    /// Guards every property below; signalled when work arrives, when the committer ends.
    private let condition = NSCondition()
    private var pending: [(slot: Int, completion: ImportCompletion)] = []
    /// When the oldest pending completion was submitted.
    private var oldest = Date.distantFuture
    /// Per slot, why its completion could not be committed.
    private var failures: [Int: String] = [:]
    private var closed = false
    private var finished = false
    /// More than this waits for the next transaction: a transaction holds the registry's write lock, which
    /// other processes (the portal's readers, a cron job) wait on.
    static let largestBatch = 64
    /// Enough to commit at once: restores come every few tens of milliseconds, so waiting for more would
    /// hold them back longer than a commit takes.
    static let fullBatch = 16
    /// A restore ends every 20–100 ms (two at a time), a commit takes 5–50 ms of syncs on a shared disk:
    /// measured with the 50- and 300-establishment bundles, committing each at once gave batches of one.
    static let longestWait: TimeInterval = 0.25

    init(registry: any ImportRunRegistry) {
        self.registry = registry
        let thread = Thread { [self] in run() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Queues `completion`, committed soon with the others that finished meanwhile.
    func submit(_ completion: ImportCompletion, slot: Int) {
        condition.withLock {
            if pending.isEmpty { oldest = Date() }
            pending.append((slot, completion))
            condition.signal()
        }
    }

    /// Waits until every completion submitted is committed; returns, per slot, why one could not be.
    func finish() -> [Int: String] {
        condition.withLock {
            closed = true
            condition.signal()
            while !finished { condition.wait() }
            return failures
        }
    }

    private func run() {
        condition.lock()
        while true {
            while pending.isEmpty && !closed { condition.wait() }
            if pending.isEmpty { break }
            let due = oldest.addingTimeInterval(Self.longestWait)
            while pending.count < Self.fullBatch && !closed && Date() < due { _ = condition.wait(until: due) }
            let batch = Array(pending.prefix(Self.largestBatch))
            pending.removeFirst(batch.count)
            oldest = pending.isEmpty ? .distantFuture : Date()
            condition.unlock()
            let failed = commit(batch)
            condition.lock()
            failures.merge(failed) { first, _ in first }
        }
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Commits `batch` in one transaction; when that fails, each completion alone, so that one that cannot
    /// be committed does not take the others with it.
    private func commit(_ batch: [(slot: Int, completion: ImportCompletion)]) -> [Int: String] {
        do {
            try registry.completeImports(batch.map(\.completion))
            return [:]
        } catch {
            guard batch.count > 1 else { return [batch[0].slot: String(describing: error)] }
        }
        var failed: [Int: String] = [:]
        for (slot, completion) in batch {
            do { try registry.completeImports([completion]) } catch { failed[slot] = String(describing: error) }
        }
        return failed
    }
}
