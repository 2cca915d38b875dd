import Foundation

/// Why a maintenance window cannot be planned, changed or cancelled, with what to do instead.
public enum MaintenanceError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidTime(option: String, value: String, expected: String)
    case invalidDuration(option: String, value: String)
    /// A start before now: refused rather than read as now, which would cut service at once.
    case startInPast(option: String, given: String, now: String, timeZone: String)
    /// An end before now: a window is not ended in the past.
    case endInPast(option: String, given: String, now: String, timeZone: String)
    /// The end is not after the start.
    case endNotAfterStart(start: String, end: String)
    /// An establishment already has an open window: one at a time, cancel it first.
    case alreadyPlanned(baseIDs: [Int64], window: Int64, state: MaintenanceWindow.State, when: String)
    case unknownWindow(Int64)
    /// A finished or cancelled window cannot change any more.
    case windowClosed(Int64, MaintenanceWindow.State)
    case unknownEstablishments([Int64])
    /// `--message` too long to show on a page (or empty).
    case invalidMessage(String)
    /// `require_maintenance_window: true` and no window in progress covers these establishments.
    case outsideWindow(command: String, baseIDs: [Int64])

    /// Whether this is the refusal of a start in the past (the command line may offer to start now).
    public var isStartInPast: Bool {
        if case .startInPast = self { return true } else { return false }
    }

    public var description: String {
        switch self {
        case .invalidTime(let option, let value, let expected):
            return "\(option) '\(value)' is not a time: give \(expected)"
        case .invalidDuration(let option, let value):
            return "\(option) '\(value)' is not a duration: give minutes or hours such as 45m, 1h, 1h30 or 2d"
        case .startInPast(let option, let given, let now, let zone):
            return
                "\(option) \(given) is in the past: it is now \(now) in \(zone) (the hosting's time zone, time_zone in transfert.yaml). A window does not start in the past: give a later \(option), or use \(option) now to begin at once (service is cut at once)"
        case .endInPast(let option, let given, let now, let zone):
            return
                "\(option) \(given) is in the past: it is now \(now) in \(zone) (the hosting's time zone). A window does not end in the past: give a later \(option), use \(option) now to end it now, or cancel it with `transfert maintenance cancel N`"
        case .endNotAfterStart(let start, let end):
            return "the end (\(end)) is not after the start (\(start)): give a later --end, or --duration 45m"
        case .alreadyPlanned(let ids, let window, let state, let when):
            let which =
                ids.isEmpty
                ? "every establishment"
                : (ids.count == 1
                    ? "establishment \(ids[0])" : "establishments \(ids.map(String.init).joined(separator: ", "))")
            return
                "\(which) already \(ids.count == 1 || ids.isEmpty ? "has" : "have") maintenance window \(window) (\(state.rawValue), \(when)); one window at a time: change it with `transfert maintenance edit \(window) …`, or cancel it first with `transfert maintenance cancel \(window)`"
        case .unknownWindow(let number):
            return "there is no maintenance window \(number): `transfert maintenance list --include-ended` lists them"
        case .windowClosed(let number, let state):
            return
                "maintenance window \(number) is \(state.rawValue) and cannot change any more: plan a new one with `transfert maintenance plan`"
        case .unknownEstablishments(let ids):
            return
                "no establishment has id \(ids.map(String.init).joined(separator: ", ")) on this hosting (`transfert structure list` shows them)"
        case .invalidMessage(let reason):
            return "--message \(reason)"
        case .outsideWindow(let command, let ids):
            let list = ids.map(String.init).joined(separator: ",")
            return
                "\(command) refused: require_maintenance_window is on in transfert.yaml and no maintenance window is in progress for establishment\(ids.count == 1 ? "" : "s") \(ids.map(String.init).joined(separator: ", ")); plan one first, e.g. `transfert maintenance plan --ids \(list) --start now --duration 1h --type database`"
        }
    }
}

extension MaintenanceError: LocatedError {
    /// A stable name for scripts (`--json` errors), written out case by case: renaming a Swift case must not
    /// change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .invalidTime: return .invalidTime
        case .invalidDuration: return .invalidDuration
        case .startInPast: return .startInPast
        case .endInPast: return .endInPast
        case .endNotAfterStart: return .endNotAfterStart
        case .alreadyPlanned: return .windowAlreadyPlanned
        case .unknownWindow: return .unknownWindow
        case .windowClosed: return .windowClosed
        case .unknownEstablishments: return .unknownEstablishment
        case .invalidMessage: return .invalidMessage
        case .outsideWindow: return .outsideMaintenanceWindow
        }
    }
}
