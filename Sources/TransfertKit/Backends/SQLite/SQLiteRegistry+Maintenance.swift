import Foundation
import GRDB

/// Maintenance windows (`maintenance_window`, with their establishments in `maintenance_window_structure`).
extension SQLiteRegistry {
    public func saveMaintenanceWindow(_ window: MaintenanceWindow, check: ([MaintenanceWindow]) throws -> Void) throws -> MaintenanceWindow {
        try immediateTransaction { db in
            try check(try Self.windows(in: db).filter { $0.number != window.number })
            let stored = StoredMaintenanceWindow(window)
            var saved = window
            if let number = window.number {
                try db.execute(sql: """
                    UPDATE maintenance_window SET type = ?, every_structure = ?, starts_at = ?, ends_at = ?, message = ?,
                      planned_at = ?, planned_by = ?, cancelled_at = ? WHERE id = ? AND cancelled_at IS NULL
                    """, arguments: [stored.type, stored.everyStructure, stored.start, stored.end, stored.message,
                                     stored.plannedAt, stored.plannedBy, stored.cancelledAt, number])
                // A window cancelled meanwhile (another operator) stays cancelled: an edit never revives it.
                guard db.changesCount == 1 else {
                    let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM maintenance_window WHERE id = ?", arguments: [number]) == true
                    throw exists ? MaintenanceError.windowClosed(number, .cancelled) : MaintenanceError.unknownWindow(number)
                }
                try db.execute(sql: "DELETE FROM maintenance_window_structure WHERE window_id = ?", arguments: [number])
            } else {
                try db.execute(sql: """
                    INSERT INTO maintenance_window (type, every_structure, starts_at, ends_at, message, planned_at, planned_by, cancelled_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [stored.type, stored.everyStructure, stored.start, stored.end, stored.message,
                                     stored.plannedAt, stored.plannedBy, stored.cancelledAt])
                saved.number = db.lastInsertedRowID
            }
            for baseID in stored.baseIDs {
                try db.execute(sql: "INSERT INTO maintenance_window_structure (window_id, base_id) VALUES (?, ?)",
                               arguments: [saved.number, baseID])
            }
            return saved
        }
    }

    public func maintenanceWindows() throws -> [MaintenanceWindow] {
        try queue.read { db in try Self.windows(in: db) }
    }

    private static func windows(in db: Database) throws -> [MaintenanceWindow] {
        var members: [Int64: [Int64]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT window_id, base_id FROM maintenance_window_structure ORDER BY window_id, base_id") {
            members[row["window_id"], default: []].append(row["base_id"])
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM maintenance_window ORDER BY id").map { row in
            let id: Int64 = row["id"]
            return try StoredMaintenanceWindow(
                number: id, type: row["type"], everyStructure: row["every_structure"], baseIDs: members[id] ?? [],
                start: row["starts_at"], end: row["ends_at"], message: row["message"], plannedAt: row["planned_at"],
                plannedBy: row["planned_by"], cancelledAt: row["cancelled_at"]).window()
        }
    }
}
