import Foundation
import GRDB

/// Establishments (`structure`) and the choice of their ids.
extension SQLiteRegistry {
    static let structureColumns = "base_id, guid, zone_id, uai, localisation, denomination, contact_nom, contact_prenom, contact_courriel, inscription_date, status"

    public func structures() throws -> [Structure] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.structureColumns) FROM structure ORDER BY base_id").map(Self.structure(from:))
        }
    }

    public func structure(baseID: Int64) throws -> Structure? {
        try fetchStructure(where: "base_id = ?", baseID)
    }

    public func structure(uai: UAI) throws -> Structure? {
        try fetchStructure(where: "uai = ?", uai.rawValue)
    }

    public func structure(guid: UUID) throws -> Structure? {
        try fetchStructure(where: "guid = ?", guid.uuidString.lowercased())
    }

    private func fetchStructure(where condition: String, _ argument: some DatabaseValueConvertible) throws -> Structure? {
        try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Self.structureColumns) FROM structure WHERE \(condition)", arguments: [argument])
                .map(Self.structure(from:))
        }
    }

    public func insert(_ structure: Structure) throws {
        try immediateTransaction { db in try Self.insert(structure, in: db) }
    }

    public func insertWithNewID(_ structure: Structure, isFree: (Int64) -> Bool) throws -> Structure {
        try immediateTransaction { db in
            var structure = structure
            structure.baseID = try Self.freeIDs(count: 1, reserved: [], isFree: isFree, in: db)[0]
            try Self.insert(structure, in: db)
            return structure
        }
    }

    public func freeIDs(count: Int, reserved: Set<Int64>, isFree: (Int64) -> Bool) throws -> [Int64] {
        try queue.read { db in try Self.freeIDs(count: count, reserved: reserved, isFree: isFree, in: db) }
    }

    /// The one place that decides which ids are free: above the largest registered id, not reserved,
    /// nothing left there. Inside a write transaction, what it returns is what gets inserted.
    static func freeIDs(count: Int, reserved: Set<Int64>, isFree: (Int64) -> Bool, in db: Database) throws -> [Int64] {
        try FreeIDRule.ids(count: count, largestRegistered: try Int64.fetchOne(db, sql: "SELECT MAX(base_id) FROM structure") ?? 0,
                       reserved: reserved, isFree: isFree)
    }

    public func removeStructure(baseID: Int64, journal: JournalEntry?) throws {
        try immediateTransaction { db in
            try db.execute(sql: "DELETE FROM structure WHERE base_id = ?", arguments: [baseID])
            if db.changesCount == 0 { throw RegistryError.unknownStructure(baseID) }
            try db.execute(sql: "DELETE FROM structure_lock WHERE base_id = ?", arguments: [baseID])
            // Its locks and its place in windows go with it: an id given again starts clean.
            try db.execute(sql: "DELETE FROM access_lock WHERE base_id = ?", arguments: [baseID])
            try db.execute(sql: "DELETE FROM maintenance_window_structure WHERE base_id = ?", arguments: [baseID])
            try db.execute(sql: "DELETE FROM structure_language WHERE base_id = ?", arguments: [baseID])
            if let journal { try Self.record(journal, in: db) }
        }
    }
}
