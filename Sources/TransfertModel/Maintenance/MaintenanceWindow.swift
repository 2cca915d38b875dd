import Foundation

/// A planned quiet period for some establishments (or all of them): users are warned before it, kept out
/// during it, and service returns at its end. Its state follows from the clock (``state(at:)``): no daemon
/// moves it from one state to the next.
///
/// ```swift
/// let window = MaintenanceWindow(type: .database, scope: .establishments([3, 4]),
///                                start: start, end: start.addingTimeInterval(45 * 60), plannedBy: "root@a")
/// window.state(at: Date())      // .planned, .inProgress, .finished or .cancelled
/// window.covers(baseID: 3)      // true
/// ```
public struct MaintenanceWindow: Equatable, Sendable {
    /// The number operators give to `maintenance edit N` and `cancel N`; `nil` until the registry saved it.
    public var number: Int64?
    public var type: MaintenanceType
    public var scope: MaintenanceScope
    /// When service is cut (UTC; shown in the hosting's time zone).
    public var start: Date
    /// When service returns.
    public var end: Date
    /// The operator's own words, shown under the standard message (optional).
    public var message: String?
    public var plannedAt: Date
    /// `user@host` of whoever planned it.
    public var plannedBy: String
    /// Set when it was cancelled; a cancelled window never cuts service again.
    public var cancelledAt: Date?

    public enum State: String, Codable, Sendable, CaseIterable {
        case planned
        case inProgress = "in progress"
        case finished
        case cancelled
    }

    public init(
        number: Int64? = nil, type: MaintenanceType, scope: MaintenanceScope, start: Date, end: Date,
        message: String? = nil, plannedAt: Date = Date(), plannedBy: String, cancelledAt: Date? = nil
    ) {
        self.number = number
        self.type = type
        self.scope = scope
        self.start = start
        self.end = end
        self.message = message
        self.plannedAt = plannedAt
        self.plannedBy = plannedBy
        self.cancelledAt = cancelledAt
    }

    /// The state at `now`. A window is in progress from its start (included) to its end (excluded).
    public func state(at now: Date) -> State {
        if let cancelledAt, cancelledAt <= now { return .cancelled }
        if now < start { return .planned }
        if now < end { return .inProgress }
        return .finished
    }

    /// Planned or in progress: the establishments it covers may have no other window.
    public func isOpen(at now: Date) -> Bool {
        let state = state(at: now)
        return state == .planned || state == .inProgress
    }

    public func covers(baseID: Int64) -> Bool { scope.covers(baseID: baseID) }

    /// The planned duration, in whole seconds.
    public var duration: TimeInterval { end.timeIntervalSince(start) }
}
