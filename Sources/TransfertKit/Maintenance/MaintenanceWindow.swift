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

    public init(number: Int64? = nil, type: MaintenanceType, scope: MaintenanceScope, start: Date, end: Date,
                message: String? = nil, plannedAt: Date = Date(), plannedBy: String, cancelledAt: Date? = nil) {
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

/// What a window is for; it decides the messages users see.
public enum MaintenanceType: String, Codable, Sendable, CaseIterable {
    /// Work on the databases (a transfer, a restore): "Une phase de maintenance de la base de données…".
    case database
    /// A new version of the application: "Une nouvelle version sera installée…".
    case deployment
}

/// The establishments a window or a lock applies to.
public enum MaintenanceScope: Equatable, Sendable, Codable {
    /// Every establishment of the hosting, including those added while it lasts.
    case all
    /// These establishments, in ascending order.
    case establishments([Int64])

    public func covers(baseID: Int64) -> Bool {
        switch self {
        case .all: return true
        case .establishments(let ids): return ids.contains(baseID)
        }
    }

    /// `all`, or the ids separated by commas (how tables and messages show it).
    public var description: String {
        switch self {
        case .all: return "all"
        case .establishments(let ids): return ids.map(String.init).joined(separator: ",")
        }
    }

    /// Whether the two scopes share an establishment.
    public func overlaps(_ other: MaintenanceScope) -> [Int64]? {
        switch (self, other) {
        case (.all, .all): return []
        case (.all, .establishments(let ids)), (.establishments(let ids), .all): return ids
        case (.establishments(let mine), .establishments(let theirs)):
            let shared = Set(mine).intersection(theirs).sorted()
            return shared.isEmpty ? nil : shared
        }
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self), text == "all" { self = .all; return }
        self = .establishments(try container.decode([Int64].self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .all: try container.encode("all")
        case .establishments(let ids): try container.encode(ids)
        }
    }
}
