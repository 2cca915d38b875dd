import TransfertFormats
import TransfertModel

/// Establishments' own letter languages (`structure_language`).
extension SQLRegistry {
    public func letterLanguages() throws -> [Int64: String] {
        try read { db in
            Dictionary(
                try db.rows("SELECT base_id, language FROM structure_language").compactMap { row in
                    row[0].integerValue.flatMap { id in row[1].textValue.map { (id, $0) } }
                }, uniquingKeysWith: { first, _ in first })
        }
    }

    public func setLetterLanguage(_ language: String?, baseID: Int64) throws {
        try exclusively { db in
            guard try db.exists("SELECT 1 FROM structure WHERE base_id = ?", [.integer(baseID)]) else {
                throw RegistryError.unknownStructure(baseID)
            }
            try db.execute("DELETE FROM structure_language WHERE base_id = ?", [.integer(baseID)])
            if let language {
                try db.execute(
                    "INSERT INTO structure_language (base_id, language) VALUES (?, ?)",
                    [.integer(baseID), .text(language)])
            }
        }
    }
}
