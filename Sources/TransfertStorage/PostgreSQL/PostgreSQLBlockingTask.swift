import Foundation
import NIOCore

/// Runs async work of the client (PostgresNIO's row sequences and `COPY`, which have no other form) from a
/// caller's ordinary thread, which waits for its end.
///
/// The work runs on the connection's event loop (as its task executor), never on Swift's shared task pool:
/// a caller that is itself a thread of that pool (a test, a handler of the portal) may block while it
/// waits, and a pool whose threads all wait would never run the work. The work only suspends, never blocks,
/// so the event loop keeps serving its other connections.
final class PostgreSQLBlockingTask<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<Value, any Error>?

    /// Starts `work` at once on `eventLoop`.
    init(on eventLoop: any EventLoop, _ work: @escaping @Sendable () async throws -> Value) {
        let finish = { @Sendable (outcome: Result<Value, any Error>) in
            self.result = outcome
            self.done.signal()
        }
        let run = { @Sendable () async in
            do { finish(.success(try await work())) } catch { finish(.failure(error)) }
        }
        if #available(macOS 15.0, *) {
            Task(executorPreference: PostgreSQLEventLoopExecutor(eventLoop), operation: run)
        } else {
            Task(operation: run)
        }
    }

    /// Waits for the work to end; returns its value or throws its error (again, when asked again).
    func wait() throws -> Value {
        waitedLock.withLock {
            if !waited {
                done.wait()
                waited = true
            }
        }
        return try result!.get()
    }

    private let waitedLock = NSLock()
    private var waited = false
}

/// An event loop as the executor tasks prefer: their jobs run on its thread.
@available(macOS 15.0, *)
final class PostgreSQLEventLoopExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }
}
