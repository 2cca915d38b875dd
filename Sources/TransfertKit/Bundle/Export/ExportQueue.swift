import Foundation

/// Hands out indexes to export workers and collects their results; the first error stops the handout.
final class ExportQueue<Result>: @unchecked Sendable {
    /// The indexes still to export, all queued at once: workers take them until none is left.
    private let indexes: BoundedQueue<Int>
    private let lock = NSLock()
    private var slots: [Result?]
    private var failure: (any Error)?

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
        indexes = BoundedQueue(capacity: max(1, count))
        for index in 0..<count { indexes.put(index) }
        indexes.close()
    }

    var hasFailed: Bool { lock.withLock { failure != nil } }

    /// The next index to export, or nil when all are handed out or one failed.
    func next() -> Int? { indexes.take() }

    func store(_ result: Result, at index: Int) { lock.withLock { slots[index] = result } }

    /// Keeps the first error, and stops the handout: the other worker ends after its current establishment.
    func fail(_ error: any Error) {
        lock.withLock { if failure == nil { failure = error } }
        indexes.cancel()
    }

    /// Every result in order, or the first error.
    func results() throws -> [Result] {
        try lock.withLock {
            if let failure { throw failure }
            return slots.map { $0! }
        }
    }
}
