import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The rules of maintenance windows: one open window per establishment, no start in the past (a window
/// starts now only when asked for `now`: a past date is most often a typo or a copied example, and taking
/// it for "now" would cut service at once), an end after the start, a warning when sessions have little
/// time to close. The registry stores windows; this type decides what may be stored.
///
/// ```swift
/// let schedule = MaintenanceSchedule(registry: hosting.registry, time: settings.time)   // or SQLRegistry.inMemory()
/// let planned = try schedule.plan(.init(scope: .establishments([3]), type: .database,
///                                       start: start, end: .duration(45 * 60), message: nil))
/// planned.notices   // [.shortNotice(…)] when it starts within five minutes
/// try schedule.cancel(planned.window.number!)
/// ```
public struct MaintenanceSchedule: Sendable {
    /// What it reads and writes: the establishments a window names, and the windows.
    public typealias Registries = EstablishmentRegistry & MaintenanceRegistry

    public let registry: any Registries
    public let now: @Sendable () -> Date
    /// How errors show times (the hosting's time zone).
    public let time: MaintenanceTime

    /// Sessions need time to close: a window starting sooner than this after it is planned is flagged.
    public static let advisedNotice: TimeInterval = 5 * 60
    /// The longest `--message` shown on a page.
    public static let maximumMessageLength = 1_000

    public init(
        registry: any Registries, time: MaintenanceTime = MaintenanceTime(timeZone: TimeZone(identifier: "UTC")!),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.registry = registry
        self.time = time
        self.now = now
    }

    /// How a window ends: at a time, or after a duration from its (possibly moved) start.
    public enum End: Equatable, Sendable {
        case at(Date)
        case duration(TimeInterval)
    }

    public struct Request: Sendable {
        public var scope: MaintenanceScope
        public var type: MaintenanceType
        public var start: Date
        public var end: End
        public var message: String?

        public init(scope: MaintenanceScope, type: MaintenanceType, start: Date, end: End, message: String?) {
            self.scope = scope
            self.type = type
            self.start = start
            self.end = end
            self.message = message
        }
    }

    /// What an operator changes with `maintenance edit`; `nil` keeps the current value.
    public struct Changes: Sendable {
        public var type: MaintenanceType?
        public var start: Date?
        public var end: End?
        /// `.some("")` removes the message.
        public var message: String?

        public init(type: MaintenanceType? = nil, start: Date? = nil, end: End? = nil, message: String? = nil) {
            self.type = type
            self.start = start
            self.end = end
            self.message = message
        }
    }

    /// Something the operator should know about a window just saved.
    public enum Notice: Equatable, Sendable {
        /// The start given was now (`--start now`): service is cut at once.
        case startsNow(requested: Date)
        /// It starts in less than ``advisedNotice``: connected users have little time.
        case shortNotice(seconds: Int)
    }

    public struct Outcome: Sendable {
        public var window: MaintenanceWindow
        public var notices: [Notice]
    }

    /// Plans a window, refusing unknown establishments, a start before now (``MaintenanceError/startInPast(option:given:now:timeZone:)``;
    /// a start equal to now, which is what `now` reads as when the schedule's clock is the caller's, starts
    /// at once) and any overlap with an open window. With `dryRun`, every check is made and nothing is saved
    /// (the window has no number).
    public func plan(_ request: Request, dryRun: Bool = false) throws -> Outcome {
        let moment = MaintenanceTime.wholeSeconds(now())
        if case .establishments(let ids) = request.scope {
            let unknown = try ids.filter { try registry.structure(baseID: $0) == nil }
            guard unknown.isEmpty else { throw MaintenanceError.unknownEstablishments(unknown) }
        }
        var window = MaintenanceWindow(
            type: request.type, scope: request.scope, start: request.start, end: request.start,
            message: try Self.checked(request.message), plannedAt: moment,
            plannedBy: AccessLock.currentOperator)
        let notices = try place(&window, start: request.start, end: request.end, now: moment, moment: moment)
        if dryRun {
            try refuseOverlap(window, with: try registry.maintenanceWindows(), now: moment)
            return Outcome(window: window, notices: notices)
        }
        let saved = try registry.saveMaintenanceWindow(window) { others in
            try refuseOverlap(window, with: others, now: moment)
        }
        return Outcome(window: saved, notices: notices)
    }

    /// Changes a planned or in-progress window.
    public func edit(_ number: Int64, _ changes: Changes) throws -> Outcome {
        let moment = MaintenanceTime.wholeSeconds(now())
        var window = try openWindow(number, at: moment)
        if let type = changes.type { window.type = type }
        if let message = changes.message { window.message = message.isEmpty ? nil : try Self.checked(message) }
        var notices: [Notice] = []
        if changes.start != nil || changes.end != nil {
            let start = changes.start ?? window.start
            // A new start keeps the planned duration unless a new end is given.
            let end = changes.end ?? (changes.start != nil ? .duration(window.duration) : .at(window.end))
            // An in-progress window keeps its start unless a new one is given: it already cut service.
            notices = try place(
                &window, start: start, end: end, now: changes.start == nil ? min(moment, window.start) : moment,
                moment: moment)
            // A start kept as it was is no news, even if it has passed.
            if changes.start == nil {
                notices.removeAll { if case .startsNow = $0 { return true } else { return false } }
            }
        }
        let edited = window
        let saved = try registry.saveMaintenanceWindow(edited) { others in
            try refuseOverlap(edited, with: others, now: moment)
        }
        return Outcome(window: saved, notices: notices)
    }

    /// Cancels a planned or in-progress window: service returns at once if it was in progress.
    public func cancel(_ number: Int64) throws -> MaintenanceWindow {
        let moment = MaintenanceTime.wholeSeconds(now())
        var window = try openWindow(number, at: moment)
        window.cancelledAt = moment
        let cancelled = window
        return try registry.saveMaintenanceWindow(cancelled) { _ in }
    }

    /// Every window, or only the open ones (planned or in progress) at `now`.
    public func windows(includeEnded: Bool) throws -> [MaintenanceWindow] {
        let moment = now()
        return try registry.maintenanceWindows().filter { includeEnded || $0.isOpen(at: moment) }
    }

    /// The window of that number, refused when it does not exist or cannot change any more.
    public func openWindow(_ number: Int64, at moment: Date) throws -> MaintenanceWindow {
        guard let window = try registry.maintenanceWindows().first(where: { $0.number == number }) else {
            throw MaintenanceError.unknownWindow(number)
        }
        let state = window.state(at: moment)
        guard state == .planned || state == .inProgress else { throw MaintenanceError.windowClosed(number, state) }
        return window
    }

    /// The establishments of `baseIDs` that no window in progress covers at `now` (for
    /// `require_maintenance_window`).
    public func uncovered(_ baseIDs: [Int64]) throws -> [Int64] {
        let moment = now()
        let inProgress = try registry.maintenanceWindows().filter { $0.state(at: moment) == .inProgress }
        return baseIDs.filter { id in !inProgress.contains { $0.covers(baseID: id) } }
    }

    /// Sets start and end. A start before `now` is refused: only a start equal to `now` (what `now` reads as)
    /// starts at once. The end must follow the start, and may not be before `moment` (the clock): a window
    /// is not ended in the past (`--end now` ends it now; `maintenance cancel` as if it never was).
    private func place(_ window: inout MaintenanceWindow, start requested: Date, end: End, now: Date, moment: Date)
        throws -> [Notice]
    {
        var notices: [Notice] = []
        let start = MaintenanceTime.wholeSeconds(requested)
        if start < now {
            throw MaintenanceError.startInPast(
                option: "--start", given: time.dayAndClockWithSeconds(start),
                now: time.dayAndClockWithSeconds(moment), timeZone: time.timeZone.identifier)
        }
        if start == now { notices.append(.startsNow(requested: requested)) }
        let finish: Date
        switch end {
        case .at(let date): finish = MaintenanceTime.wholeSeconds(date)
        case .duration(let seconds): finish = start.addingTimeInterval(seconds.rounded(.up))
        }
        guard finish > start else {
            throw MaintenanceError.endNotAfterStart(start: time.dayAndClock(start), end: time.dayAndClock(finish))
        }
        if finish < moment {
            throw MaintenanceError.endInPast(
                option: "--end", given: time.dayAndClockWithSeconds(finish),
                now: time.dayAndClockWithSeconds(moment), timeZone: time.timeZone.identifier)
        }
        if notices.isEmpty, start.timeIntervalSince(now) < Self.advisedNotice {
            notices.append(.shortNotice(seconds: Int(start.timeIntervalSince(now))))
        }
        window.start = start
        window.end = finish
        return notices
    }

    private func refuseOverlap(_ window: MaintenanceWindow, with others: [MaintenanceWindow], now: Date) throws {
        for other in others where other.isOpen(at: now) {
            if let shared = window.scope.overlaps(other.scope) {
                throw MaintenanceError.alreadyPlanned(
                    baseIDs: shared, window: other.number ?? 0, state: other.state(at: now),
                    when: "\(time.dayAndClock(other.start)) to \(time.dayAndClock(other.end))")
            }
        }
    }

    private static func checked(_ message: String?) throws -> String? {
        guard let message else { return nil }
        switch UserFacingText.checked(message, maximum: maximumMessageLength, allowsLineBreaks: true) {
        case .success(let text): return text
        case .failure(.empty):
            throw MaintenanceError.invalidMessage("is empty: leave it out, or write what users should know")
        case .failure(let problem): throw MaintenanceError.invalidMessage(problem.description)
        }
    }
}
