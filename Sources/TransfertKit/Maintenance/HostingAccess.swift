import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What users of a hosting's establishments meet, read from the registry at each call: the portal asks it
/// on every request, so a lock or window set from the command line shows at once.
///
/// It takes the parts of the registry it reads (establishments, moves, both kinds of locks, windows) and
/// the few settings users' sentences depend on, not the whole hosting: a test gives it
/// `SQLRegistry.inMemory()`.
///
/// ```swift
/// let access = HostingAccess(registry: hosting.registry,
///                            settings: AccessSettings(configuration: hosting.configuration, application: hosting.profile.name))
/// if let state = try access.state(baseID: 12) { … }   // nil: no establishment 12
/// ```
public struct HostingAccess: Sendable {
    /// What it reads: establishments and moves (who is there, who left), the automatic locks and those
    /// people set, and the maintenance windows.
    public typealias Registries = EstablishmentRegistry & MoveRegistry & LockRegistry & AccessLockRegistry
        & MaintenanceRegistry

    public let registry: any Registries
    public let settings: AccessSettings

    public init(registry: any Registries, settings: AccessSettings) {
        self.registry = registry
        self.settings = settings
    }

    /// Every lock in force at `now`: those people set, then the automatic ones, stale automatic locks
    /// cleared (and returned in `cleared`, for the caller to report).
    public func locks(at now: Date = Date()) throws -> (locks: [AccessLock], cleared: [StructureLock]) {
        let automatic = try registry.locks(at: now)
        return (try registry.accessLocks() + automatic.live.map(AccessLock.init), automatic.cleared)
    }

    /// The locks in force at `now`, read without writing: stale automatic locks are left out here, and left
    /// in the registry for `lock list` and `doctor` to clear and report.
    public func locksInForce(at now: Date = Date()) throws -> [AccessLock] {
        try registry.accessLocks() + registry.storedLocks().filter { !$0.isStale(at: now) }.map(AccessLock.init)
    }

    /// The state of establishment `baseID` at `now`; `nil` when the hosting has no such establishment.
    /// A moved establishment — still registered or already removed — is `moved`, with its new address.
    /// Reads only: the portal asks it at every request.
    ///
    /// `now` may be another time than the clock's (`maintenance preview --at`): the answer is then the state
    /// as it was or will be at that time — windows by their times (one planned later than `now` did not
    /// exist yet), locks set after `now` left out, a move confirmed after `now` not yet made. Locks have no
    /// end: one a person set is taken to last, as it will unless someone releases it; an automatic lock
    /// lasts while its heartbeat does (``StructureLock/isStale(at:host:)`` at `now`).
    public func state(baseID: Int64, at now: Date = Date()) throws -> AccessState? {
        let structure = try registry.structure(baseID: baseID)
        if let move = try registry.move(baseID: baseID),
            structure == nil || Self.date(move.confirmedAt).map({ $0 <= now }) ?? true
        {
            return resolver(at: now).state(of: move)
        }
        guard let structure else { return nil }
        let locks = try locksInForce(at: now).filter { lock in Self.date(lock.since).map { $0 <= now } ?? true }
        let windows = try registry.maintenanceWindows().filter { $0.plannedAt <= now }
        return resolver(at: now).state(of: structure, locks: locks, windows: windows)
    }

    /// An ISO 8601 time of the registry (`since`, `confirmed_at`).
    private static func date(_ text: String) -> Date? { RegistryTime.date(from: text) }

    /// The resolver with this hosting's settings (time zone, language, application name, disconnect delay).
    public func resolver(at now: Date) -> AccessResolver {
        AccessResolver(
            now: now, time: settings.time, application: settings.application, messages: settings.messages,
            disconnectAfter: settings.disconnectAfter)
    }

    /// Refuses `command` when `require_maintenance_window` is on and a window in progress does not cover
    /// every establishment of `baseIDs`.
    public func requireWindow(covering baseIDs: [Int64], command: String, now: Date = Date()) throws {
        guard settings.requireMaintenanceWindow, !baseIDs.isEmpty else { return }
        let uncovered = try MaintenanceSchedule(registry: registry, time: settings.time, now: { now }).uncovered(
            baseIDs)
        guard uncovered.isEmpty else { throw MaintenanceError.outsideWindow(command: command, baseIDs: uncovered) }
    }
}
