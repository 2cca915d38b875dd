import Dispatch
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// Calls `tick` every `interval` on one serial queue until stopped; ``run(_:)`` runs work on that same
/// queue, so a display's events and its timed redraws never interleave their writes.
final class ProgressTicker: @unchecked Sendable {
    private let queue = DispatchQueue(label: "transfert.progress")
    /// Touched on `queue` only.
    private var timer: (any DispatchSourceTimer)?

    func start(every interval: TimeInterval, _ tick: @escaping @Sendable () -> Void) {
        queue.sync {
            let source = DispatchSource.makeTimerSource(queue: queue)
            source.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(20))
            source.setEventHandler(handler: tick)
            source.resume()
            timer = source
        }
    }

    func run(_ work: @escaping @Sendable () -> Void) {
        queue.async(execute: work)
    }

    /// Runs `work` on the queue and waits for it: what it prints comes before whatever the caller prints next.
    func runAndWait(_ work: () -> Void) {
        queue.sync(execute: work)
    }

    /// Stops the timer and runs `last` once every earlier tick and event is done: nothing is written after.
    func stop(then last: @escaping @Sendable () -> Void) {
        queue.sync {
            timer?.cancel()
            timer = nil
            last()
        }
    }
}
