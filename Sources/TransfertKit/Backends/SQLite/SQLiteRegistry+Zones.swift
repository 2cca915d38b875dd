import Foundation
import GRDB

/// Zones (`zone`).
extension SQLiteRegistry {
    public func zones() throws -> [Zone] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name FROM zone ORDER BY id").map { Zone(id: $0["id"], name: $0["name"]) }
        }
    }

    public func zone(id: Int64) throws -> Zone? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT id, name FROM zone WHERE id = ?", arguments: [id])
                .map { Zone(id: $0["id"], name: $0["name"]) }
        }
    }

    public func addZone(named name: String) throws -> Zone {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO zone (name) VALUES (?)", arguments: [name])
            return Zone(id: db.lastInsertedRowID, name: name)
        }
    }
}
