import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What users of a hosting's establishments can meet from `loadedAt` on, read from the registry at once
/// and kept in memory: the portal answers from it without touching the registry, and reads it again when
/// the registry's revision changes.
///
/// It holds every establishment, every confirmed move, every lock (stale automatic ones too: staleness
/// depends on the time of the question), and the windows still open at `loadedAt` — never the years of
/// ended and cancelled ones. ``state(baseID:at:)`` decides as ``HostingAccess/state(baseID:at:)`` does,
/// at the time it is asked (a window that starts, a `Retry-After` that counts down, a heartbeat that
/// stops: no reload needed), for any time from `loadedAt` on.
///
/// ```swift
/// let snapshot = try AccessSnapshot.load(from: hosting.registry, settings: settings, at: Date())
/// snapshot.state(baseID: 12, at: Date())   // nil: no establishment 12
/// ```
public struct AccessSnapshot: Sendable {
    /// What it reads: ``HostingAccess``'s parts, and the revision that says when to read again.
    public typealias Registries = HostingAccess.Registries & RevisionedRegistry

    /// The registry's revision read before everything else: a write during the load raises it past this.
    public let revision: Int64
    /// The time it was read at: it answers for this time and later.
    public let loadedAt: Date
    public let settings: AccessSettings
    /// The settings' time zone and sentences, built once rather than at every question.
    private let time: MaintenanceTime
    private let messages: MaintenanceMessages
    /// This host's name, asked once (the system may resolve it): whose dead processes' locks are stale at once.
    private let host: String
    private let structures: [Int64: Structure]
    /// The first confirmed move of each old id (``MoveRegistry/move(baseID:)``).
    private let moves: [Int64: ConfirmedMove]
    /// Locks people set on every establishment, in the registry's order.
    private let everyLocks: [AccessLock]
    /// Locks people set on one establishment, then its automatic lock, in the registry's order.
    private let locks: [Int64: [AccessLock]]
    private let automaticLocks: [Int64: [StructureLock]]
    /// Windows open at `loadedAt` on every establishment, and per establishment, in number order.
    private let everyWindows: [MaintenanceWindow]
    private let windows: [Int64: [MaintenanceWindow]]

    /// How many establishments the hosting has (`/health`).
    public var establishmentCount: Int { structures.count }

    /// Reads the registry: the revision first, then what users can meet from `now` on.
    public static func load(from registry: any Registries, settings: AccessSettings, at now: Date) throws
        -> AccessSnapshot
    {
        let revision = try registry.revision()
        let structures = try registry.structures()
        var moves: [Int64: ConfirmedMove] = [:]
        for move in try registry.moves() where moves[move.baseID] == nil { moves[move.baseID] = move }
        var everyLocks: [AccessLock] = []
        var locks: [Int64: [AccessLock]] = [:]
        for lock in try registry.accessLocks() {
            if let baseID = lock.baseID { locks[baseID, default: []].append(lock) } else { everyLocks.append(lock) }
        }
        var automaticLocks: [Int64: [StructureLock]] = [:]
        for lock in try registry.storedLocks() { automaticLocks[lock.baseID, default: []].append(lock) }
        var everyWindows: [MaintenanceWindow] = []
        var windows: [Int64: [MaintenanceWindow]] = [:]
        for window in try registry.maintenanceWindows(openAfter: now) {
            switch window.scope {
            case .all: everyWindows.append(window)
            case .establishments(let ids): for id in Set(ids) { windows[id, default: []].append(window) }
            }
        }
        return AccessSnapshot(
            revision: revision, loadedAt: now, settings: settings, time: settings.time, messages: settings.messages,
            host: ProcessInfo.processInfo.hostName,
            structures: Dictionary(structures.map { ($0.baseID, $0) }, uniquingKeysWith: { first, _ in first }),
            moves: moves, everyLocks: everyLocks, locks: locks, automaticLocks: automaticLocks,
            everyWindows: everyWindows, windows: windows)
    }

    /// The state of establishment `baseID` at `now` (`loadedAt` or later), as
    /// ``HostingAccess/state(baseID:at:)`` gives it from the registry; `nil` when there is no such
    /// establishment.
    public func state(baseID: Int64, at now: Date) -> AccessState? {
        let structure = structures[baseID]
        let resolver = AccessResolver(
            now: now, time: time, application: settings.application, messages: messages,
            disconnectAfter: settings.disconnectAfter)
        if let move = moves[baseID],
            structure == nil || RegistryTime.date(from: move.confirmedAt).map({ $0 <= now }) ?? true
        {
            return resolver.state(of: move)
        }
        guard let structure else { return nil }
        let automatic = (automaticLocks[baseID] ?? []).filter { !$0.isStale(at: now, host: host) }
            .map(AccessLock.init)
        let inForce = (everyLocks + (locks[baseID] ?? []) + automatic).filter { lock in
            RegistryTime.date(from: lock.since).map { $0 <= now } ?? true
        }
        var open = everyWindows + (windows[baseID] ?? [])
        if !everyWindows.isEmpty && windows[baseID] != nil { open.sort { ($0.number ?? 0) < ($1.number ?? 0) } }
        return resolver.state(of: structure, locks: inForce, windows: open.filter { $0.plannedAt <= now })
    }
}
