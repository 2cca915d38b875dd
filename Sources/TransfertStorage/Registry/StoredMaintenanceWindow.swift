import Foundation
import TransfertFormats
import TransfertModel

/// A maintenance window as registries store it — plain columns, times as ISO 8601 UTC text — so that
/// each backend only moves columns, and the conversion is written once.
struct StoredMaintenanceWindow {
    var number: Int64?
    var type: String
    var everyStructure: Bool
    var baseIDs: [Int64]
    var start: String
    var end: String
    var message: String?
    var plannedAt: String
    var plannedBy: String
    var cancelledAt: String?

    init(
        number: Int64?, type: String, everyStructure: Bool, baseIDs: [Int64], start: String, end: String,
        message: String?, plannedAt: String, plannedBy: String, cancelledAt: String?
    ) {
        self.number = number
        self.type = type
        self.everyStructure = everyStructure
        self.baseIDs = baseIDs
        self.start = start
        self.end = end
        self.message = message
        self.plannedAt = plannedAt
        self.plannedBy = plannedBy
        self.cancelledAt = cancelledAt
    }

    init(_ window: MaintenanceWindow) {
        func format(_ date: Date) -> String { RegistryTime.string(from: date, timeZone: RegistryTime.utc) }
        number = window.number
        type = window.type.rawValue
        switch window.scope {
        case .all:
            everyStructure = true
            baseIDs = []
        case .establishments(let ids):
            everyStructure = false
            baseIDs = ids
        }
        start = format(window.start)
        end = format(window.end)
        message = window.message
        plannedAt = format(window.plannedAt)
        plannedBy = window.plannedBy
        cancelledAt = window.cancelledAt.map(format)
    }

    /// The window, refusing a row no version of Transfert writes (a hand-edited registry). Times are read
    /// by ``RegistryTime`` (no formatter built per row: a registry keeps years of windows).
    func window() throws -> MaintenanceWindow {
        func date(_ text: String, _ column: String) throws -> Date {
            guard let date = RegistryTime.date(from: text) else {
                throw RegistryError.corruptRow(
                    table: "maintenance_window", key: String(number ?? 0),
                    reason: "\(column) '\(text)' is not an ISO 8601 time")
            }
            return date
        }
        guard let kind = MaintenanceType(rawValue: type) else {
            throw RegistryError.corruptRow(
                table: "maintenance_window", key: String(number ?? 0),
                reason: "type '\(type)' is neither database nor deployment")
        }
        return MaintenanceWindow(
            number: number, type: kind, scope: everyStructure ? .all : .establishments(baseIDs),
            start: try date(start, "starts_at"), end: try date(end, "ends_at"), message: message,
            plannedAt: try date(plannedAt, "planned_at"), plannedBy: plannedBy,
            cancelledAt: try cancelledAt.map { try date($0, "cancelled_at") })
    }
}
