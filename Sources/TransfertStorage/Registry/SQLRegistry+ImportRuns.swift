import Foundation
import TransfertFormats
import TransfertModel

/// Import claims and runs (`structure` rows being imported, `import_run`).
extension SQLRegistry {
    public func claimForImport(_ structures: [Structure], reserved: Set<Int64>, isFree: (Int64) -> Bool) throws
        -> [Structure]
    {
        try exclusively { db in
            // Every id this import takes, then the free ones for the rows that named none, in order.
            let taken = reserved.union(structures.map(\.baseID).filter { $0 != 0 })
            var fresh = try Self.freeIDs(
                count: structures.filter { $0.baseID == 0 }.count, reserved: taken, isFree: isFree, in: db
            )
            .makeIterator()
            return try structures.map { structure in
                var structure = structure
                structure.status = .importing
                if structure.baseID == 0 { structure.baseID = fresh.next()! }
                try Self.insert(structure, in: db)
                try insert(StructureLock.automatic(baseID: structure.baseID, kind: .restore), in: db)
                return structure
            }
        }
    }

    public func completeImport(baseID: Int64, journal: JournalEntry, letterLanguage: String?) throws {
        try exclusively { db in
            try db.execute("UPDATE structure SET status = 'active' WHERE base_id = ?", [.integer(baseID)])
            try db.execute("DELETE FROM structure_lock WHERE base_id = ?", [.integer(baseID)])
            try Self.record(journal, in: db)
            if let letterLanguage {
                try db.execute("DELETE FROM structure_language WHERE base_id = ?", [.integer(baseID)])
                try db.execute(
                    "INSERT INTO structure_language (base_id, language) VALUES (?, ?)",
                    [.integer(baseID), .text(letterLanguage)])
            }
        }
    }

    public func abandonedImports() throws -> [Structure] {
        let live = Set(try locks(at: Date()).live.map(\.baseID))
        return try structures().filter { $0.status == .importing && !live.contains($0.baseID) }
    }

    public func startImportRun(bundle: String) throws -> (id: Int64, resumes: Bool) {
        try exclusively { db in
            let unfinished = try db.exists(
                "SELECT 1 FROM import_run WHERE bundle = ? AND complete = 0 LIMIT 1", [.text(bundle)])
            try db.execute(
                "INSERT INTO import_run (bundle, started_at) VALUES (?, ?)",
                [.text(bundle), .text(ISO8601DateFormatter().string(from: Date()))])
            return (db.lastInsertID, unfinished)
        }
    }

    public func hasUnfinishedImportRun(bundle: String) throws -> Bool {
        try read {
            try $0.exists("SELECT 1 FROM import_run WHERE bundle = ? AND complete = 0 LIMIT 1", [.text(bundle)])
        }
    }

    public func finishImportRun(id: Int64, complete: Bool) throws {
        try exclusively { db in
            try db.execute(
                "UPDATE import_run SET finished_at = ?, complete = ? WHERE id = ?",
                [.text(ISO8601DateFormatter().string(from: Date())), .integer(complete ? 1 : 0), .integer(id)])
            // The bundle is fully imported: earlier unfinished runs of it are settled too.
            if complete, let bundle = try db.row("SELECT bundle FROM import_run WHERE id = ?", [.integer(id)])?.first {
                try db.execute("UPDATE import_run SET complete = 1 WHERE bundle = ?", [bundle])
            }
        }
    }
}
