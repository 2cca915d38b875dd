import Foundation
import TransfertModel

/// A blocking queue of bounded length between threads: the one hand-off mechanism of Transfert. The
/// restore's parse-then-insert ``Pipeline``, the ZIP writer's thread (``ArchiveWriter``) and the export's
/// workers all go through it, so one piece of locking code is reviewed and tested.
///
/// `put` waits while `capacity` items are queued — which is what keeps memory flat whatever the size of a
/// dump — and fails once the queue is cancelled. `take` waits for an item and returns `nil` once the queue
/// is closed and empty, or cancelled. Consumers that must be waited for call ``finished()`` after each
/// item they took, and ``waitUntilIdle()`` then returns when nothing is queued or being worked on.
final class BoundedQueue<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    /// Taken slots are emptied at once (a taken chunk must not stay alive here) and the array compacted
    /// from time to time.
    private var items: [Item?] = []
    private var head = 0
    private let capacity: Int
    private var closed = false
    private var cancelled = false
    private var inFlight = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Waits for room and queues `item`; `false` once the queue is cancelled (the item is dropped).
    @discardableResult
    func put(_ item: Item) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity && !cancelled { condition.wait() }
        guard !cancelled, !closed else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The next item, or `nil` once the queue is closed and empty, or cancelled.
    func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while items.count == head && !closed && !cancelled { condition.wait() }
        guard let item = removeFirstLocked() else { return nil }
        inFlight += 1
        return item
    }

    /// The next item if one is queued, without waiting (a pool of spare buffers); `nil` otherwise. Not
    /// counted as in flight: nothing waits for it to be ``finished()``.
    func poll() -> Item? {
        condition.withLock { removeFirstLocked() }
    }

    /// Takes the first queued item out, the lock held; wakes a producer waiting for room.
    private func removeFirstLocked() -> Item? {
        guard !cancelled, items.count > head else { return nil }
        let item = items[head]!
        items[head] = nil
        head += 1
        if head > 64, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        condition.broadcast()
        return item
    }

    /// A consumer is done with an item it took.
    func finished() {
        condition.lock()
        inFlight -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// No more items will come; consumers drain what is queued, then `take` returns `nil`.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Stops everything at once: queued items are dropped, `put` fails and `take` returns `nil`.
    func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }

    var isCancelled: Bool { condition.withLock { cancelled } }

    /// Items queued and not yet taken.
    var queuedCount: Int { condition.withLock { items.count - head } }

    func waitUntilClosed() {
        condition.lock()
        while !closed { condition.wait() }
        condition.unlock()
    }

    /// Waits until nothing is queued and every item taken was ``finished()``.
    func waitUntilIdle() {
        condition.lock()
        while (items.count > head && !cancelled) || inFlight > 0 { condition.wait() }
        condition.unlock()
    }
}
