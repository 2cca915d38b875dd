import Foundation
import TransfertFormats
import TransfertModel

/// Maintenance windows (`maintenance_window`, with their establishments in `maintenance_window_structure`).
extension SQLRegistry {
    public func saveMaintenanceWindow(_ window: MaintenanceWindow, check: ([MaintenanceWindow]) throws -> Void) throws
        -> MaintenanceWindow
    {
        try exclusively { db in
            try check(try Self.windows(in: db).filter { $0.number != window.number })
            let stored = StoredMaintenanceWindow(window)
            let columns: [SQLValue] = [
                .text(stored.type), .integer(stored.everyStructure ? 1 : 0), .text(stored.start), .text(stored.end),
                .optional(stored.message), .text(stored.plannedAt), .text(stored.plannedBy),
                .optional(stored.cancelledAt),
            ]
            var saved = window
            if let number = window.number {
                // Read first: engines do not agree on the count of rows an UPDATE that changes nothing "changed".
                guard
                    let current = try db.row(
                        "SELECT cancelled_at FROM maintenance_window WHERE id = ?", [.integer(number)])
                else {
                    throw MaintenanceError.unknownWindow(number)
                }
                // A window cancelled meanwhile (another operator) stays cancelled: an edit never revives it.
                guard current[0].textValue == nil else { throw MaintenanceError.windowClosed(number, .cancelled) }
                try db.execute(
                    """
                    UPDATE maintenance_window SET type = ?, every_structure = ?, starts_at = ?, ends_at = ?, message = ?,
                      planned_at = ?, planned_by = ?, cancelled_at = ? WHERE id = ?
                    """, columns + [.integer(number)])
                try db.execute("DELETE FROM maintenance_window_structure WHERE window_id = ?", [.integer(number)])
            } else {
                try db.execute(
                    """
                    INSERT INTO maintenance_window (type, every_structure, starts_at, ends_at, message, planned_at, planned_by, cancelled_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, columns)
                saved.number = db.lastInsertID
            }
            for baseID in stored.baseIDs {
                try db.execute(
                    "INSERT INTO maintenance_window_structure (window_id, base_id) VALUES (?, ?)",
                    [.optional(saved.number), .integer(baseID)])
            }
            return saved
        }
    }

    public func maintenanceWindows() throws -> [MaintenanceWindow] {
        try read { try Self.windows(in: $0) }
    }

    public func maintenanceWindows(openAfter date: Date) throws -> [MaintenanceWindow] {
        // Times are stored as ISO 8601 text in UTC, which sorts as time does. A hand-written offset (up to
        // ±24 h) shifts a text by less than a day: cut a day earlier, then decide on the parsed times.
        let cut = RegistryTime.string(from: date.addingTimeInterval(-86_400), timeZone: RegistryTime.utc)
        return try read { db in
            try Self.windows(
                in: db, where: "w.ends_at > ? AND (w.cancelled_at IS NULL OR w.cancelled_at > ?)",
                [.text(cut), .text(cut)]
            ).filter { $0.end > date && ($0.cancelledAt.map { $0 > date } ?? true) }
        }
    }

    private static func windows(
        in db: any SQLStatements, where condition: String = "1 = 1", _ values: [SQLValue] = []
    ) throws -> [MaintenanceWindow] {
        var members: [Int64: [Int64]] = [:]
        for row in try db.rows(
            """
            SELECT s.window_id, s.base_id FROM maintenance_window_structure s
            JOIN maintenance_window w ON w.id = s.window_id WHERE \(condition) ORDER BY s.window_id, s.base_id
            """, values)
        {
            members[row[0].integerValue ?? 0, default: []].append(row[1].integerValue ?? 0)
        }
        return try db.rows(
            """
            SELECT w.id, w.type, w.every_structure, w.starts_at, w.ends_at, w.message, w.planned_at, w.planned_by,
              w.cancelled_at
            FROM maintenance_window w WHERE \(condition) ORDER BY w.id
            """, values
        ).map { row in
            let id = row[0].integerValue ?? 0
            return try StoredMaintenanceWindow(
                number: id, type: row[1].textValue ?? "", everyStructure: (row[2].integerValue ?? 0) != 0,
                baseIDs: members[id] ?? [],
                start: row[3].textValue ?? "", end: row[4].textValue ?? "", message: row[5].textValue,
                plannedAt: row[6].textValue ?? "",
                plannedBy: row[7].textValue ?? "", cancelledAt: row[8].textValue
            ).window()
        }
    }
}
