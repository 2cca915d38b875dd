import Dispatch
import Foundation
import Logging
import Synchronization
import TransfertKit
import TransfertModel
import TransfertStorage

/// The registry of a hosting, kept in memory: requests answer from an ``AccessSnapshot`` and never wait
/// for the registry, however long its maintenance history or however busy its writers.
///
/// A timer on a queue of its own reads the registry's revision every `refreshEvery` (250 ms) and reads
/// the snapshot again when it changed: a lock, a window, a move or an establishment added or removed from
/// the command line shows within a second. Times (a window's start and end, `Retry-After`, a heartbeat
/// that stops) are decided at each request against the clock, not at the load.
///
/// When the registry cannot be read, the last snapshot keeps answering and the failure is logged once
/// (`/health` says the registry is unavailable, reading it itself); before a first snapshot, requests
/// get 503 as they did when every request read the registry.
///
/// It takes the registry's parts ``AccessSnapshot`` reads and the settings users' sentences depend on, not
/// the hosting: a test can give it `SQLRegistry.inMemory()`.
public final class HostingStateSource: AccessStateSource {
    public let access: HostingAccess
    private let registry: any AccessSnapshot.Registries
    private let logger: Logger
    private let current = Mutex<Current>(Current())
    /// Set once in `init`; a timer source's calls are thread-safe (Dispatch does not mark it `Sendable`).
    nonisolated(unsafe) private let refresh: DispatchSourceTimer

    /// The snapshot requests read, and whether the last reading failed (logged once).
    private struct Current {
        var snapshot: AccessSnapshot?
        var failing = false
        /// The state last decided per establishment from this snapshot, and the whole second it was
        /// decided in. Registry times are whole seconds and answers say seconds (`checked_at`,
        /// `Retry-After`), so a state holds for its whole second: a rush of requests about one
        /// establishment decides it once a second, not once a request (its window sentences, its lock's
        /// liveness). Emptied with each new snapshot, and when it holds ``answeredLimit`` states.
        var answered: [Int64: (second: Int64, state: AccessState?)] = [:]
    }

    private static let answeredLimit = 4_096

    public init(
        registry: any AccessSnapshot.Registries, settings: AccessSettings,
        refreshEvery interval: Duration = .milliseconds(250),
        logger: Logger = Logger(label: "transfert.portal")
    ) {
        access = HostingAccess(registry: registry, settings: settings)
        self.registry = registry
        self.logger = logger
        let queue = DispatchQueue(label: "transfert.portal.snapshot")
        refresh = DispatchSource.makeTimerSource(queue: queue)
        // Read at once, before the server listens: the first request already has its answer.
        queue.sync { reloadIfChanged() }
        let (seconds, attoseconds) = interval.components
        let nanoseconds = max(1_000_000, Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        refresh.schedule(
            deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds),
            leeway: .milliseconds(10))
        refresh.setEventHandler { [weak self] in self?.reloadIfChanged() }
        refresh.resume()
    }

    deinit { refresh.cancel() }

    public func state(baseID: Int64, at now: Date) throws -> AccessState? {
        let second = Int64((now.timeIntervalSince1970).rounded(.down))
        let (held, answered) = current.withLock { ($0.snapshot, $0.answered[baseID]) }
        guard let snapshot = held else { throw PortalSnapshotError.notLoaded }
        // A clock set back before the snapshot's load: windows it left out may matter; ask the registry.
        guard now >= snapshot.loadedAt else { return try access.state(baseID: baseID, at: now) }
        if let answered, answered.second == second { return answered.state }
        let state = snapshot.state(baseID: baseID, at: now)
        current.withLock { current in
            // Kept only if no newer snapshot replaced this one meanwhile.
            guard current.snapshot?.revision == snapshot.revision, current.snapshot?.loadedAt == snapshot.loadedAt
            else { return }
            if current.answered.count >= Self.answeredLimit { current.answered.removeAll(keepingCapacity: true) }
            current.answered[baseID] = (second, state)
        }
        return state
    }

    /// Read from the registry itself, as before the snapshot: `/health` proves the registry answers now.
    public func establishmentCount() throws -> Int {
        try access.registry.structures().count
    }

    /// The revision, then the snapshot when the revision moved (or none was read yet). Runs on the timer's
    /// queue only, so two reloads never overlap.
    private func reloadIfChanged() {
        let held = current.withLock { $0.snapshot?.revision }
        do {
            let revision = try registry.revision()
            if revision != held {
                let snapshot = try AccessSnapshot.load(from: registry, settings: access.settings, at: Date())
                current.withLock {
                    $0.snapshot = snapshot
                    $0.answered.removeAll()
                }
            }
            let recovered = current.withLock { current in
                defer { current.failing = false }
                return current.failing
            }
            if recovered { logger.warning("the registry can be read again; the portal answers from it") }
        } catch {
            let first = current.withLock { current in
                defer { current.failing = true }
                return !current.failing
            }
            if first {
                logger.error(
                    "the registry cannot be read (\(error)); the portal answers from what it read last until it can")
            }
        }
    }
}
