/// Establishments' own letter languages (`structure_language`).
extension MariaDBRegistry {
    public func letterLanguages() throws -> [Int64: String] {
        try withConnection { connection in
            Dictionary(try connection.rows("SELECT base_id, language FROM structure_language", []).compactMap { row in
                row[0].integerValue.flatMap { id in row[1].textValue.map { (id, $0) } }
            }, uniquingKeysWith: { first, _ in first })
        }
    }

    public func setLetterLanguage(_ language: String?, baseID: Int64) throws {
        try exclusiveTransaction { connection in
            guard try !connection.rows("SELECT 1 FROM structure WHERE base_id = ?", [.integer(baseID)]).isEmpty else {
                throw RegistryError.unknownStructure(baseID)
            }
            try connection.run("DELETE FROM structure_language WHERE base_id = ?", [.integer(baseID)])
            if let language {
                try connection.run("INSERT INTO structure_language (base_id, language) VALUES (?, ?)", [.integer(baseID), .text(language)])
            }
        }
    }
}
