import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

@Suite("Bounded queue")
struct BoundedQueueTests {
    @Test func aFastProducerWaitsForRoomAndEverythingArrivesInOrder() throws {
        let queue = BoundedQueue<Int>(capacity: 2)
        let peak = Peak()
        let producer = Thread {
            for item in 0..<200 {
                queue.put(item)
                peak.note(queue)
            }
            queue.close()
        }
        producer.start()
        var received: [Int] = []
        while let item = queue.take() {
            received.append(item)
            if item % 20 == 0 { Thread.sleep(forTimeInterval: 0.002) }  // a slower consumer: the producer waits
            queue.finished()
        }
        #expect(received == Array(0..<200))
        #expect(peak.value <= 2, "never more than the capacity waiting")
        #expect(peak.value >= 1)
    }

    @Test func cancelUnblocksAWaitingProducerAndEndsTheConsumers() throws {
        let queue = BoundedQueue<Int>(capacity: 1)
        queue.put(1)
        let refused = Flag()
        let producer = Thread { refused.set(!queue.put(2)) }
        producer.start()
        Thread.sleep(forTimeInterval: 0.05)
        queue.cancel()
        Thread.sleep(forTimeInterval: 0.05)
        #expect(refused.value, "the blocked put returns false")
        #expect(queue.take() == nil)
        #expect(queue.isCancelled)
    }

    @Test func waitUntilIdleWaitsForTheItemsBeingWorkedOn() throws {
        let queue = BoundedQueue<Int>(capacity: 4)
        let done = ItemCounter()
        let consumer = Thread {
            while queue.take() != nil {
                Thread.sleep(forTimeInterval: 0.01)
                done.increment()
                queue.finished()
            }
        }
        consumer.start()
        for item in 0..<10 { queue.put(item) }
        queue.waitUntilIdle()
        #expect(done.value == 10)
        queue.close()
    }
}

/// The most items ever seen waiting in a queue.
private final class Peak: @unchecked Sendable {
    private let lock = NSLock()
    private var peak = 0
    var value: Int { lock.withLock { peak } }
    func note(_ queue: BoundedQueue<Int>) {
        let count = queue.queuedCount
        lock.withLock { peak = max(peak, count) }
    }
}

private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var value: Bool { lock.withLock { flag } }
    func set(_ value: Bool) { lock.withLock { flag = value } }
}

private final class ItemCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
