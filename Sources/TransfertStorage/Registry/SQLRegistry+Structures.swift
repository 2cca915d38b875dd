import Foundation
import TransfertFormats
import TransfertModel

/// Establishments (`structure`) and the choice of their ids.
extension SQLRegistry {
    static let structureColumns =
        "base_id, guid, zone_id, uai, localisation, denomination, contact_nom, contact_prenom, contact_courriel, inscription_date, status"

    public func structures() throws -> [Structure] {
        try read {
            try $0.rows("SELECT \(Self.structureColumns) FROM structure ORDER BY base_id").map(Self.structure(from:))
        }
    }

    public func structure(baseID: Int64) throws -> Structure? {
        try fetchStructure(where: "base_id = ?", .integer(baseID))
    }
    public func structure(uai: UAI) throws -> Structure? { try fetchStructure(where: "uai = ?", .text(uai.rawValue)) }
    public func structure(guid: UUID) throws -> Structure? {
        try fetchStructure(where: "guid = ?", .text(guid.uuidString.lowercased()))
    }

    private func fetchStructure(where condition: String, _ value: SQLValue) throws -> Structure? {
        try read {
            try $0.row("SELECT \(Self.structureColumns) FROM structure WHERE \(condition)", [value]).map(
                Self.structure(from:))
        }
    }

    public func insert(_ structure: Structure) throws {
        try exclusively { try Self.insert(structure, in: $0) }
    }

    public func insertWithNewID(_ structure: Structure, isFree: (Int64) -> Bool) throws -> Structure {
        try exclusively { db in
            var structure = structure
            structure.baseID = try Self.freeIDs(count: 1, reserved: [], isFree: isFree, in: db)[0]
            try Self.insert(structure, in: db)
            return structure
        }
    }

    public func updateStructure(_ s: Structure) throws {
        try exclusively { db in
            guard try db.exists("SELECT 1 FROM structure WHERE base_id = ?", [.integer(s.baseID)]) else {
                throw RegistryError.unknownStructure(s.baseID)
            }
            if let uai = s.uai,
                let other = try db.row(
                    "SELECT base_id FROM structure WHERE uai = ? AND base_id <> ?",
                    [.text(uai.rawValue), .integer(s.baseID)])
            {
                throw RegistryError.duplicateUAI(uai.rawValue, hostedBy: other[0].integerValue ?? 0)
            }
            if try !db.exists("SELECT 1 FROM zone WHERE id = ?", [.integer(s.zoneID)]) {
                throw RegistryError.unknownZone(s.zoneID)
            }
            try db.execute(
                """
                UPDATE structure SET zone_id = ?, uai = ?, localisation = ?, denomination = ?, contact_nom = ?,
                contact_prenom = ?, contact_courriel = ?, inscription_date = ? WHERE base_id = ?
                """,
                [
                    .integer(s.zoneID), .optional(s.uai?.rawValue), .text(s.localisation), .text(s.denomination),
                    .text(s.contactNom), .text(s.contactPrenom), .text(s.contactCourriel.rawValue),
                    .text(s.inscriptionDate.description), .integer(s.baseID),
                ])
        }
    }

    public func freeIDs(count: Int, reserved: Set<Int64>, isFree: (Int64) -> Bool) throws -> [Int64] {
        try read { try Self.freeIDs(count: count, reserved: reserved, isFree: isFree, in: $0) }
    }

    /// The one place that decides which ids are free: above the largest registered id, not reserved,
    /// nothing left there. Inside an exclusive transaction, what it returns is what gets inserted.
    static func freeIDs(count: Int, reserved: Set<Int64>, isFree: (Int64) -> Bool, in db: any SQLStatements) throws
        -> [Int64]
    {
        let largest = try db.row("SELECT MAX(base_id) FROM structure")?.first?.integerValue ?? 0
        return try FreeIDRule.ids(count: count, largestRegistered: largest, reserved: reserved, isFree: isFree)
    }

    public func removeStructure(baseID: Int64, journal: JournalEntry?) throws {
        try exclusively { db in
            guard try db.execute("DELETE FROM structure WHERE base_id = ?", [.integer(baseID)]) > 0 else {
                throw RegistryError.unknownStructure(baseID)
            }
            try db.execute("DELETE FROM structure_lock WHERE base_id = ?", [.integer(baseID)])
            // Its locks and its place in windows go with it: an id given again starts clean.
            try db.execute("DELETE FROM access_lock WHERE base_id = ?", [.integer(baseID)])
            try db.execute("DELETE FROM maintenance_window_structure WHERE base_id = ?", [.integer(baseID)])
            try db.execute("DELETE FROM structure_language WHERE base_id = ?", [.integer(baseID)])
            if let journal { try Self.record(journal, in: db) }
        }
    }

    public func recordRestore(
        baseID: Int64, details: (denomination: String, localisation: String, uai: UAI?)?, journal: JournalEntry
    ) throws {
        try exclusively { db in
            guard try db.exists("SELECT 1 FROM structure WHERE base_id = ?", [.integer(baseID)]) else {
                throw RegistryError.unknownStructure(baseID)
            }
            if let details {
                if let uai = details.uai,
                    let other = try db.row(
                        "SELECT base_id FROM structure WHERE uai = ? AND base_id <> ?",
                        [.text(uai.rawValue), .integer(baseID)])
                {
                    throw RegistryError.duplicateUAI(uai.rawValue, hostedBy: other[0].integerValue ?? 0)
                }
                try db.execute(
                    "UPDATE structure SET denomination = ?, localisation = ?, uai = ? WHERE base_id = ?",
                    [
                        .text(details.denomination), .text(details.localisation), .optional(details.uai?.rawValue),
                        .integer(baseID),
                    ])
            }
            try Self.record(journal, in: db)
        }
    }

    /// Checks every registry constraint with its own message, then inserts.
    static func insert(_ s: Structure, in db: any SQLStatements) throws {
        if try db.exists("SELECT 1 FROM structure WHERE base_id = ?", [.integer(s.baseID)]) {
            throw RegistryError.duplicateBaseID(s.baseID)
        }
        if let uai = s.uai, let other = try db.row("SELECT base_id FROM structure WHERE uai = ?", [.text(uai.rawValue)])
        {
            throw RegistryError.duplicateUAI(uai.rawValue, hostedBy: other[0].integerValue ?? 0)
        }
        let guid = s.guid.uuidString.lowercased()
        if let other = try db.row("SELECT base_id FROM structure WHERE guid = ?", [.text(guid)]) {
            throw RegistryError.duplicateGUID(s.guid, hostedBy: other[0].integerValue ?? 0)
        }
        if try !db.exists("SELECT 1 FROM zone WHERE id = ?", [.integer(s.zoneID)]) {
            throw RegistryError.unknownZone(s.zoneID)
        }
        try db.execute(
            "INSERT INTO structure (\(structureColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                .integer(s.baseID), .text(guid), .integer(s.zoneID), .optional(s.uai?.rawValue), .text(s.localisation),
                .text(s.denomination), .text(s.contactNom), .text(s.contactPrenom), .text(s.contactCourriel.rawValue),
                .text(s.inscriptionDate.description), .text(s.status.rawValue),
            ])
    }

    /// A row no version of Transfert writes (a hand-edited registry) is refused, naming the row.
    static func structure(from row: [SQLValue]) throws -> Structure {
        let baseID = row[0].integerValue ?? 0
        guard let guid = UUID(uuidString: row[1].textValue ?? "") else {
            throw RegistryError.corruptRow(
                table: "structure", key: String(baseID), reason: "guid '\(row[1].description)' is not a UUID")
        }
        return Structure(
            baseID: baseID, guid: guid, zoneID: row[2].integerValue ?? 0,
            uai: try row[3].textValue.map { try UAI(validating: $0) }, localisation: row[4].textValue ?? "",
            denomination: row[5].textValue ?? "", contactNom: row[6].textValue ?? "",
            contactPrenom: row[7].textValue ?? "",
            contactCourriel: try EmailAddress(validating: row[8].textValue ?? ""),
            inscriptionDate: try CalendarDate(parsing: row[9].textValue ?? ""),
            status: Structure.Status(rawValue: row[10].textValue ?? "") ?? .active)
    }
}
