import Foundation
import TransfertModel

/// Runs a producer on its own thread and a consumer on the calling thread, joined by a bounded queue.
///
/// Restoring a dump is two halves of about the same cost: inflating, hashing and parsing the text, and
/// inserting the rows. Run one after the other they add up; run side by side on two cores the restore
/// takes about as long as the slower half. The queue holds at most `capacity` items, so memory stays
/// bounded whatever the size of the dump: a fast producer waits for the consumer.
///
/// The consumer runs on the calling thread on purpose: database connections must be used from the
/// thread (or queue) that opened them.
///
/// ```swift
/// let total = try Pipeline.run(capacity: 2, produce: { send in
///     for chunk in chunks { guard send(chunk) else { break } }
///     return chunks.count
/// }, consume: { chunk in try insert(chunk) })
/// ```
///
/// The first error of either side stops both: a producer error is rethrown after the items sent before
/// it were consumed; a consumer error makes the next `send` return `false`. The producer has always
/// finished when `run` returns, so nothing it uses outlives the call.
enum Pipeline {
    static func run<Item, Summary>(
        capacity: Int,
        produce: @escaping (_ send: @escaping (Item) -> Bool) throws -> Summary,
        consume: (Item) throws -> Void
    ) throws -> Summary {
        let queue = BoundedQueue<Item>(capacity: capacity)
        let outcome = ProducerOutcome<Summary>()
        // The producer only touches what `produce` captured and the queue; the consumer waits for it to
        // end before returning, so handing these non-Sendable values to the thread is safe.
        let work = UncheckedSendable {
            do {
                outcome.value = .success(try produce { queue.put($0) })
            } catch {
                outcome.value = .failure(error)
            }
            queue.close()
        }
        let thread = Thread { work.value() }
        thread.stackSize = 1 << 20
        thread.start()

        var consumerError: (any Error)?
        while let item = queue.take() {
            do {
                try consume(item)
            } catch {
                consumerError = error
                queue.cancel()
                break
            }
        }
        queue.waitUntilClosed()
        if let consumerError { throw consumerError }
        return try outcome.value!.get()
    }

    /// The same hand-off the other way round: the producer on the calling thread, the consumer on a
    /// thread of its own. An export reads its database on the connection's own queue (GRDB's), so the
    /// reading side cannot move; formatting what it read can.
    ///
    /// The first error of either side stops both: a consumer error makes the next `send` return `false`
    /// and is the one rethrown (the producer's "stopped" error only follows from it); a producer error
    /// drops what is still queued. The consumer's thread has always ended when this returns, so nothing it
    /// uses outlives the call and what it changed can be read by the caller.
    static func consumeAside<Item, Summary>(
        capacity: Int,
        produce: (_ send: @escaping (Item) -> Bool) throws -> Summary,
        consume: @escaping (Item) throws -> Void
    ) throws -> Summary {
        let queue = BoundedQueue<Item>(capacity: capacity)
        let consumerOutcome = ProducerOutcome<Void>()
        let done = DispatchSemaphore(value: 0)
        // The consumer only touches what `consume` captured and the queue; the caller waits for it to end
        // before returning, so handing these non-Sendable values to the thread is safe. The thread lets go
        // of `consume` before it signals: a caller's `withoutActuallyEscaping` closure must not outlive
        // the call, and the `Thread` object keeps its block until the thread has exited.
        var consumer: ((Item) throws -> Void)? = consume
        let work = UncheckedSendable {
            while let item = queue.take() {
                do { try consumer?(item) } catch {
                    consumerOutcome.value = .failure(error)
                    queue.cancel()
                    break
                }
            }
            consumer = nil
            done.signal()
        }
        let thread = Thread { work.value() }
        thread.stackSize = 1 << 20
        thread.start()

        let produced = Result { try produce { queue.put($0) } }
        if case .failure = produced { queue.cancel() } else { queue.close() }
        done.wait()
        if case .failure(let error)? = consumerOutcome.value { throw error }
        return try produced.get()
    }
}

/// Runs two independent jobs at once, `second` on a thread of its own, and returns both results.
///
/// ```swift
/// let (digests, integrity) = try Concurrently.both({ try digestTables() }, { try checkIntegrity() })
/// ```
package enum Concurrently {
    package static func both<A, B>(_ first: () throws -> A, _ second: @escaping () throws -> B) throws -> (A, B) {
        let outcome = ProducerOutcome<B>()
        let done = DispatchSemaphore(value: 0)
        // `second` runs alone on its thread and the caller waits for it before returning.
        let work = UncheckedSendable {
            do { outcome.value = .success(try second()) } catch { outcome.value = .failure(error) }
            done.signal()
        }
        let thread = Thread { work.value() }
        thread.stackSize = 1 << 20
        thread.start()
        let firstResult = Result { try first() }
        done.wait()
        return (try firstResult.get(), try outcome.value!.get())
    }

    /// Runs `worker` on `count` threads at once (the calling thread is one of them) and waits for all.
    package static func workers(_ count: Int, _ worker: @escaping () -> Void) {
        let done = DispatchGroup()
        let work = UncheckedSendable(worker)
        for _ in 1..<max(1, count) {
            done.enter()
            let thread = Thread {
                work.value()
                done.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        worker()
        done.wait()
    }
}

/// Written by the producer thread before it closes the queue, read by the consumer after.
private final class ProducerOutcome<Summary>: @unchecked Sendable {
    var value: Result<Summary, any Error>?
}

/// Carries a value across a thread boundary whose safety the caller guarantees by other means.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
