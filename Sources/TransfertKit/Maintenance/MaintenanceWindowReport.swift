import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// A window as `maintenance list --json` and `plan --json` print it: its state at the time asked, times in
/// the hosting's time zone, and the sentences users will read.
public struct MaintenanceWindowReport: Codable, Equatable, Sendable {
    public var number: Int64
    public var type: MaintenanceType
    public var state: MaintenanceWindow.State
    /// `"all"` or the establishment ids.
    public var establishments: MaintenanceScope
    public var start: String
    public var end: String
    public var durationMinutes: Int
    public var message: String?
    public var plannedAt: String
    public var plannedBy: String
    public var cancelledAt: String?
    /// What users read before it, during it, and when it starts while they are connected.
    public var warning: String
    public var during: String
    public var disconnect: String
    /// What the operator should know (the start moved to now, short notice).
    public var notices: [String]

    enum CodingKeys: String, CodingKey {
        case number, type, state, establishments, start, end
        case durationMinutes = "duration_minutes"
        case message
        case plannedAt = "planned_at"
        case plannedBy = "planned_by"
        case cancelledAt = "cancelled_at"
        case warning, during, disconnect, notices
    }

    /// The report of `window` at `now`, in the words and times of `settings`.
    public init(
        _ window: MaintenanceWindow, at now: Date, settings: AccessSettings, notices: [MaintenanceSchedule.Notice] = []
    ) {
        let time = settings.time
        let messages = settings.messages
        func say(_ phase: MaintenanceMessages.Phase) -> String {
            messages.text(
                phase, for: window, application: settings.application, time: time,
                disconnectAfter: settings.disconnectAfter)
        }
        number = window.number ?? 0
        type = window.type
        state = window.state(at: now)
        establishments = window.scope
        start = time.iso(window.start)
        end = time.iso(window.end)
        durationMinutes = Int((window.duration / 60).rounded(.up))
        message = window.message
        plannedAt = time.iso(window.plannedAt)
        plannedBy = window.plannedBy
        cancelledAt = window.cancelledAt.map(time.iso)
        warning = say(.warning)
        during = say(.during)
        disconnect = say(.disconnect)
        self.notices = notices.map { Self.explain($0, window: window, time: time) }
    }

    /// A notice in the operator's words (English, like every message of the tool).
    public static func explain(_ notice: MaintenanceSchedule.Notice, window: MaintenanceWindow, time: MaintenanceTime)
        -> String
    {
        switch notice {
        case .startsNow:
            let count: String
            switch window.scope {
            case .all: count = "every establishment"
            case .establishments(let ids):
                count = ids.count == 1 ? "establishment \(ids[0])" : "\(ids.count) establishments"
            }
            // A start in the past is refused (MaintenanceError.startInPast): this is `now`, asked for.
            return "the window starts now: service is cut at once for \(count)"
        case .shortNotice(let seconds):
            return
                "it starts in \(seconds < 60 ? "\(seconds) s" : "\(seconds / 60) min"), less than 5 minutes from now: users connected now have little time to save their work and close their sessions; a later start is advised (`transfert maintenance edit \(window.number ?? 0) --start …`)"
        }
    }
}
