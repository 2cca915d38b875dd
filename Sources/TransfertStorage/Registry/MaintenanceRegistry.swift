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
    /// The windows that may still be planned or in progress at `date` or later — not ended, not cancelled by
    /// then — in number order: what users can still meet, without the years of history behind it (the
    /// engine cuts on the stored text first).
    func maintenanceWindows(openAfter date: Date) throws -> [MaintenanceWindow]
}
