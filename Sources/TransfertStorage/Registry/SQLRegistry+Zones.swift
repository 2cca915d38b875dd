import TransfertFormats
import TransfertModel

/// Zones (`zone`).
extension SQLRegistry {
    public func zones() throws -> [Zone] {
        try read { try $0.rows("SELECT id, name FROM zone ORDER BY id").map(Self.zone(from:)) }
    }

    public func zone(id: Int64) throws -> Zone? {
        try read { try $0.row("SELECT id, name FROM zone WHERE id = ?", [.integer(id)]).map(Self.zone(from:)) }
    }

    public func addZone(named name: String) throws -> Zone {
        try write { db in
            try db.execute("INSERT INTO zone (name) VALUES (?)", [.text(name)])
            return Zone(id: db.lastInsertID, name: name)
        }
    }

    static func zone(from row: [SQLValue]) -> Zone { Zone(id: row[0].integerValue ?? 0, name: row[1].textValue ?? "") }
}
