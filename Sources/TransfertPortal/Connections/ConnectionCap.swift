import Foundation
import Logging
import NIOConcurrencyHelpers

/// At most ``limit`` connections open at once: past it, a new one is closed as soon as it is accepted (a
/// client learns at once rather than wait in the backlog, and the process keeps file descriptors for its
/// registry and logs). Reaching the cap is logged once, then at most once a minute with how many were refused
/// since — never a line per refused connection, which a flood would turn into a flood of the log.
final class ConnectionCap: Sendable {
    let limit: Int
    private let logger: Logger
    private let state = NIOLockedValueBox(State())
    /// Seconds between two lines about refused connections.
    static let logInterval: TimeInterval = 60

    private struct State {
        var open = 0
        var refusedSinceLine = 0
        var lastLine: Date?
    }

    init(limit: Int, logger: Logger) {
        self.limit = limit
        self.logger = logger
    }

    /// Counts a new connection in; false (and it is not counted) when the cap is reached.
    func admit() -> Bool {
        let (admitted, report) = state.withLockedValue { state -> (Bool, Int?) in
            guard state.open >= limit else {
                state.open += 1
                return (true, nil)
            }
            state.refusedSinceLine += 1
            let now = Date()
            if let last = state.lastLine, now.timeIntervalSince(last) < Self.logInterval { return (false, nil) }
            let refused = state.refusedSinceLine
            state.refusedSinceLine = 0
            state.lastLine = now
            return (false, refused)
        }
        if let report {
            logger.warning(
                "the portal has \(limit) connections open, its limit (portal.max_connections): new connections are closed at once until some end (\(report) refused since the last such line)"
            )
        }
        return admitted
    }

    /// Counts a connection out (one ``admit()`` let in).
    func release() {
        state.withLockedValue { $0.open -= 1 }
    }
}
