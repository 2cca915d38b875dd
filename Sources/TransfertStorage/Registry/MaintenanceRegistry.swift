import Foundation
import TransfertFormats
import TransfertModel

/// Planned maintenance windows. The rules (one open window per establishment…) live in
/// ``MaintenanceSchedule``; the registry stores windows and runs the schedule's check inside the
/// transaction that writes, so that two operators planning at once cannot both pass it.
public protocol MaintenanceRegistry: Sendable {
    /// Saves `window` — new when its number is `nil`, else replacing the window of that number — after
    /// `check` accepted every other window, read in the same transaction. Returns it with its number.
    func saveMaintenanceWindow(_ window: MaintenanceWindow, check: ([MaintenanceWindow]) throws -> Void) throws
        -> MaintenanceWindow
    /// Every window, in number order (the oldest first).
    func maintenanceWindows() throws -> [MaintenanceWindow]
}
