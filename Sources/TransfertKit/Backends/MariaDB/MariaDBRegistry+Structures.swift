import Foundation

/// Zones, establishments and the choice of their ids.
extension MariaDBRegistry {
    public func zones() throws -> [Zone] {
        try withConnection { try $0.rows("SELECT id, name FROM zone ORDER BY id").map(Self.zone(from:)) }
    }

    public func zone(id: Int64) throws -> Zone? {
        try withConnection { try $0.rows("SELECT id, name FROM zone WHERE id = ?", [.integer(id)]).first.map(Self.zone(from:)) }
    }

    public func addZone(named name: String) throws -> Zone {
        try withConnection { connection in
            try connection.run("INSERT INTO zone (name) VALUES (?)", [.text(name)])
            return Zone(id: connection.lastInsertID, name: name)
        }
    }

    static func zone(from row: [SQLValue]) -> Zone { Zone(id: row[0].integerValue ?? 0, name: row[1].textValue ?? "") }

    static let structureColumns = "base_id, guid, zone_id, uai, localisation, denomination, contact_nom, contact_prenom, contact_courriel, inscription_date, status"

    public func structures() throws -> [Structure] {
        try withConnection { try $0.rows("SELECT \(Self.structureColumns) FROM structure ORDER BY base_id").map(Self.structure(from:)) }
    }

    public func structure(baseID: Int64) throws -> Structure? { try fetchStructure("base_id = ?", .integer(baseID)) }
    public func structure(uai: UAI) throws -> Structure? { try fetchStructure("uai = ?", .text(uai.rawValue)) }
    public func structure(guid: UUID) throws -> Structure? { try fetchStructure("guid = ?", .text(guid.uuidString.lowercased())) }

    private func fetchStructure(_ condition: String, _ value: SQLValue) throws -> Structure? {
        try withConnection { try $0.rows("SELECT \(Self.structureColumns) FROM structure WHERE \(condition)", [value]).first.map(Self.structure(from:)) }
    }

    public func insert(_ structure: Structure) throws {
        try exclusiveTransaction { try Self.insert(structure, in: $0) }
    }

    public func insertWithNewID(_ structure: Structure, isFree: (Int64) -> Bool) throws -> Structure {
        try exclusiveTransaction { connection in
            var structure = structure
            structure.baseID = try Self.freeIDs(count: 1, reserved: [], isFree: isFree, in: connection)[0]
            try Self.insert(structure, in: connection)
            return structure
        }
    }

    public func freeIDs(count: Int, reserved: Set<Int64>, isFree: (Int64) -> Bool) throws -> [Int64] {
        try withConnection { try Self.freeIDs(count: count, reserved: reserved, isFree: isFree, in: $0) }
    }

    /// The one rule for free ids (see ``EstablishmentRegistry/freeIDs(count:reserved:isFree:)``).
    static func freeIDs(count: Int, reserved: Set<Int64>, isFree: (Int64) -> Bool, in connection: MariaDBConnection) throws -> [Int64] {
        try FreeIDRule.ids(count: count, largestRegistered: Int64(try connection.scalar("SELECT COALESCE(MAX(base_id), 0) FROM structure") ?? "0") ?? 0,
                       reserved: reserved, isFree: isFree)
    }

    public func removeStructure(baseID: Int64, journal: JournalEntry?) throws {
        try exclusiveTransaction { connection in
            guard try connection.run("DELETE FROM structure WHERE base_id = ?", [.integer(baseID)]) > 0 else {
                throw RegistryError.unknownStructure(baseID)
            }
            try connection.run("DELETE FROM structure_lock WHERE base_id = ?", [.integer(baseID)])
            // Its locks and its place in windows go with it: an id given again starts clean.
            try connection.run("DELETE FROM access_lock WHERE base_id = ?", [.integer(baseID)])
            try connection.run("DELETE FROM maintenance_window_structure WHERE base_id = ?", [.integer(baseID)])
            try connection.run("DELETE FROM structure_language WHERE base_id = ?", [.integer(baseID)])
            if let journal { try Self.record(journal, in: connection) }
        }
    }

    /// Checks every registry constraint with its own message, then inserts.
    static func insert(_ s: Structure, in connection: MariaDBConnection) throws {
        if try !connection.rows("SELECT 1 FROM structure WHERE base_id = ?", [.integer(s.baseID)]).isEmpty {
            throw RegistryError.duplicateBaseID(s.baseID)
        }
        if let uai = s.uai, let other = try connection.rows("SELECT base_id FROM structure WHERE uai = ?", [.text(uai.rawValue)]).first {
            throw RegistryError.duplicateUAI(uai.rawValue, hostedBy: other[0].integerValue ?? 0)
        }
        let guid = s.guid.uuidString.lowercased()
        if let other = try connection.rows("SELECT base_id FROM structure WHERE guid = ?", [.text(guid)]).first {
            throw RegistryError.duplicateGUID(s.guid, hostedBy: other[0].integerValue ?? 0)
        }
        if try connection.rows("SELECT 1 FROM zone WHERE id = ?", [.integer(s.zoneID)]).isEmpty {
            throw RegistryError.unknownZone(s.zoneID)
        }
        try connection.run("INSERT INTO structure (\(structureColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            .integer(s.baseID), .text(guid), .integer(s.zoneID), .optional(s.uai?.rawValue), .text(s.localisation),
            .text(s.denomination), .text(s.contactNom), .text(s.contactPrenom), .text(s.contactCourriel.rawValue),
            .text(s.inscriptionDate.description), .text(s.status.rawValue),
        ])
    }

    static func structure(from row: [SQLValue]) throws -> Structure {
        guard let guid = UUID(uuidString: row[1].textValue ?? "") else {
            throw RegistryError.notInitialised("registry row \(row[0]) has an invalid guid")
        }
        return Structure(
            baseID: row[0].integerValue ?? 0, guid: guid, zoneID: row[2].integerValue ?? 0,
            uai: try row[3].textValue.map { try UAI(validating: $0) }, localisation: row[4].textValue ?? "",
            denomination: row[5].textValue ?? "", contactNom: row[6].textValue ?? "", contactPrenom: row[7].textValue ?? "",
            contactCourriel: try EmailAddress(validating: row[8].textValue ?? ""),
            inscriptionDate: try CalendarDate(parsing: row[9].textValue ?? ""),
            status: Structure.Status(rawValue: row[10].textValue ?? "") ?? .active)
    }
}
