import Foundation
import Synchronization
import TransfertModel

/// Hands out indexes to workers (two export or import threads) and collects their results in order; the
/// first error stops the handout.
package final class IndexedWorkQueue<Result: Sendable>: Sendable {
    /// The indexes still to work on, all queued at once: workers take them until none is left.
    private let indexes: BoundedQueue<Int>
    private let state: Mutex<(slots: [Result?], failure: (any Error)?)>

    package init(count: Int) {
        state = Mutex((Array(repeating: nil, count: count), nil))
        indexes = BoundedQueue(capacity: max(1, count))
        for index in 0..<count { indexes.put(index) }
        indexes.close()
    }

    package var hasFailed: Bool { state.withLock { $0.failure != nil } }

    /// The next index to work on, or nil when all are handed out or one failed.
    package func next() -> Int? { indexes.take() }

    package func store(_ result: Result, at index: Int) { state.withLock { $0.slots[index] = result } }

    /// Keeps the first error, and stops the handout: the other worker ends after its current establishment.
    package func fail(_ error: any Error) {
        state.withLock { if $0.failure == nil { $0.failure = error } }
        indexes.cancel()
    }

    /// Every result in order, or the first error.
    package func results() throws -> [Result] {
        let (slots, failure) = state.withLock { ($0.slots, $0.failure) }
        if let failure { throw failure }
        return slots.map { $0! }
    }
}
