import Foundation

/// Why a maintenance window cannot be planned, changed or cancelled, with what to do instead.
public enum MaintenanceError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidTime(option: String, value: String, expected: String)
    case invalidDuration(option: String, value: String)
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

    /// A stable name for scripts (`--json` errors).
    public var code: String {
        switch self {
        case .invalidTime: return "invalid_time"
        case .invalidDuration: return "invalid_duration"
        case .endNotAfterStart: return "end_not_after_start"
        case .alreadyPlanned: return "window_already_planned"
        case .unknownWindow: return "unknown_window"
        case .windowClosed: return "window_closed"
        case .unknownEstablishments: return "unknown_establishment"
        case .invalidMessage: return "invalid_message"
        case .outsideWindow: return "outside_maintenance_window"
        }
    }

    public var description: String {
        switch self {
        case .invalidTime(let option, let value, let expected):
            return "\(option) '\(value)' is not a time: give \(expected)"
        case .invalidDuration(let option, let value):
            return "\(option) '\(value)' is not a duration: give minutes or hours such as 45m, 1h, 1h30 or 2d"
        case .endNotAfterStart(let start, let end):
            return "the end (\(end)) is not after the start (\(start)): give a later --end, or --duration 45m"
        case .alreadyPlanned(let ids, let window, let state, let when):
            let which = ids.isEmpty ? "every establishment" : (ids.count == 1 ? "establishment \(ids[0])" : "establishments \(ids.map(String.init).joined(separator: ", "))")
            return "\(which) already \(ids.count == 1 || ids.isEmpty ? "has" : "have") maintenance window \(window) (\(state.rawValue), \(when)); one window at a time: change it with `transfert maintenance edit \(window) …`, or cancel it first with `transfert maintenance cancel \(window)`"
        case .unknownWindow(let number):
            return "there is no maintenance window \(number): `transfert maintenance list --include-ended` lists them"
        case .windowClosed(let number, let state):
            return "maintenance window \(number) is \(state.rawValue) and cannot change any more: plan a new one with `transfert maintenance plan`"
        case .unknownEstablishments(let ids):
            return "no establishment has id \(ids.map(String.init).joined(separator: ", ")) on this hosting (`transfert structure list` shows them)"
        case .invalidMessage(let reason):
            return "--message \(reason)"
        case .outsideWindow(let command, let ids):
            let list = ids.map(String.init).joined(separator: ",")
            return "\(command) refused: require_maintenance_window is on in transfert.yaml and no maintenance window is in progress for establishment\(ids.count == 1 ? "" : "s") \(ids.map(String.init).joined(separator: ", ")); plan one first, e.g. `transfert maintenance plan --ids \(list) --start now --duration 1h --type database`"
        }
    }
}
