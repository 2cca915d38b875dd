import Foundation

/// A small bounded queue between a caller's thread (which blocks) and a task of the client (which
/// suspends): rows of a streamed SELECT come one way, chunks of a COPY the other. Whichever side is ahead
/// waits once `capacity` items are queued, so memory stays bounded whatever the table size, and neither an
/// event-loop thread nor a thread of Swift's task pool is ever blocked.
final class PostgreSQLHandoff<Element: Sendable>: @unchecked Sendable {
    private let capacity: Int
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private var finished = false
    private var failed: (any Error)?
    /// A suspended task waiting for room (producer) or for an item (consumer).
    private var waitingTask: CheckedContinuation<Void, Never>?

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        items.reserveCapacity(capacity)
    }

    private var queued: Int { items.count - head }

    /// Wakes whoever waits: a blocked thread through the condition, a suspended task through its continuation.
    /// Called with the condition locked; the continuation is resumed after unlocking.
    private func wakeLocked() -> CheckedContinuation<Void, Never>? {
        condition.broadcast()
        defer { waitingTask = nil }
        return waitingTask
    }

    // MARK: The side that blocks (the caller's thread)

    /// Adds `item`, blocking while the queue is full; throws the failure once the other side has failed.
    func put(_ item: Element) throws {
        condition.lock()
        while queued >= capacity && failed == nil { condition.wait() }
        if let failed {
            condition.unlock()
            throw failed
        }
        items.append(item)
        let task = wakeLocked()
        condition.unlock()
        task?.resume()
    }

    /// The next item, blocking while the queue is empty; nil once it is finished and drained.
    func take() throws -> Element? {
        condition.lock()
        while queued == 0 && !finished && failed == nil { condition.wait() }
        if let failed {
            condition.unlock()
            throw failed
        }
        guard queued > 0 else {
            condition.unlock()
            return nil
        }
        let (item, task) = removeFirstLocked()
        condition.unlock()
        task?.resume()
        return item
    }

    // MARK: The side that suspends (the client's task)

    /// What one attempt of the suspending side found.
    private enum Attempt {
        case done(Element?)
        case wait
    }

    /// Adds `item`, suspending while the queue is full.
    func put(_ item: Element) async throws {
        while true {
            if case .done = try attemptPut(item) { return }
            await suspend { self.queued < self.capacity }
        }
    }

    /// The next item, suspending while the queue is empty; nil once it is finished and drained.
    func take() async throws -> Element? {
        while true {
            if case .done(let item) = try attemptTake() { return item }
            await suspend { self.queued > 0 || self.finished }
        }
    }

    /// Adds `item` if there is room. Synchronous, so that the lock is never held across a suspension.
    private func attemptPut(_ item: Element) throws -> Attempt {
        condition.lock()
        if let failed {
            condition.unlock()
            throw failed
        }
        guard queued < capacity else {
            condition.unlock()
            return .wait
        }
        items.append(item)
        let task = wakeLocked()
        condition.unlock()
        task?.resume()
        return .done(nil)
    }

    /// Takes the next item if there is one (or says the queue is finished).
    private func attemptTake() throws -> Attempt {
        condition.lock()
        if let failed {
            condition.unlock()
            throw failed
        }
        if queued > 0 {
            let (item, task) = removeFirstLocked()
            condition.unlock()
            task?.resume()
            return .done(item)
        }
        let finished = self.finished
        condition.unlock()
        return finished ? .done(nil) : .wait
    }

    /// Suspends until woken, unless `ready` already holds (checked under the lock, so no wake-up is lost).
    private func suspend(unless ready: @escaping () -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            register(continuation, unless: ready)
        }
    }

    private func register(_ continuation: CheckedContinuation<Void, Never>, unless ready: () -> Bool) {
        condition.lock()
        if ready() || failed != nil {
            condition.unlock()
            continuation.resume()
        } else {
            waitingTask = continuation
            condition.unlock()
        }
    }

    /// The first item, and the task to resume once the lock is released (a producer waiting for room).
    private func removeFirstLocked() -> (Element, CheckedContinuation<Void, Never>?) {
        let item = items[head]
        head += 1
        // Compacted once `capacity` items are consumed: amortised O(1), the array stays within twice the capacity.
        if head >= capacity {
            items.removeFirst(head)
            head = 0
        }
        return (item, wakeLocked())
    }

    // MARK: Either side

    /// No more items: the consumer drains what is queued, then gets nil.
    func finish() {
        condition.lock()
        finished = true
        let task = wakeLocked()
        condition.unlock()
        task?.resume()
    }

    /// The failure that ended the exchange, if one did.
    var failure: (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        return failed
    }

    /// Ends the exchange with `error` on both sides (the first failure wins).
    func fail(_ error: any Error) {
        condition.lock()
        if failed == nil { failed = error }
        let task = wakeLocked()
        condition.unlock()
        task?.resume()
    }
}
