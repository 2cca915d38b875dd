import GRDB

/// Establishments' own letter languages (`structure_language`).
extension SQLiteRegistry {
    public func letterLanguages() throws -> [Int64: String] {
        try queue.read { db in
            Dictionary(try Row.fetchAll(db, sql: "SELECT base_id, language FROM structure_language").map { ($0[0], $0[1]) },
                       uniquingKeysWith: { first, _ in first })
        }
    }

    public func setLetterLanguage(_ language: String?, baseID: Int64) throws {
        try immediateTransaction { db in
            guard try Int64.fetchOne(db, sql: "SELECT base_id FROM structure WHERE base_id = ?", arguments: [baseID]) != nil else {
                throw RegistryError.unknownStructure(baseID)
            }
            try db.execute(sql: "DELETE FROM structure_language WHERE base_id = ?", arguments: [baseID])
            if let language {
                try db.execute(sql: "INSERT INTO structure_language (base_id, language) VALUES (?, ?)", arguments: [baseID, language])
            }
        }
    }
}
