import Foundation
import GRDB

/// Import claims and runs (`structure` rows being imported, `import_run`).
extension SQLiteRegistry {
    public func claimForImport(_ structures: [Structure], reserved: Set<Int64>, isFree: (Int64) -> Bool) throws -> [Structure] {
        try immediateTransaction { db in
            // Every id this import takes, then the free ones for the rows that named none, in order.
            let taken = reserved.union(structures.map(\.baseID).filter { $0 != 0 })
            var fresh = try Self.freeIDs(count: structures.filter { $0.baseID == 0 }.count, reserved: taken, isFree: isFree, in: db)
                .makeIterator()
            return try structures.map { structure in
                var structure = structure
                structure.status = .importing
                if structure.baseID == 0 { structure.baseID = fresh.next()! }
                try Self.insert(structure, in: db)
                try Self.insert(StructureLock.automatic(baseID: structure.baseID, kind: .restore), in: db)
                return structure
            }
        }
    }

    public func completeImport(baseID: Int64, journal: JournalEntry) throws {
        try immediateTransaction { db in
            try db.execute(sql: "UPDATE structure SET status = 'active' WHERE base_id = ?", arguments: [baseID])
            try db.execute(sql: "DELETE FROM structure_lock WHERE base_id = ?", arguments: [baseID])
            try Self.record(journal, in: db)
        }
    }

    public func abandonedImports() throws -> [Structure] {
        let live = Set(try locks(at: Date()).live.map(\.baseID))
        return try structures().filter { $0.status == .importing && !live.contains($0.baseID) }
    }

    public func startImportRun(bundle: String) throws -> (id: Int64, resumes: Bool) {
        try immediateTransaction { db in
            let unfinished = try Bool.fetchOne(db, sql: """
                SELECT 1 FROM import_run WHERE bundle = ? AND complete = 0 LIMIT 1
                """, arguments: [bundle]) ?? false
            try db.execute(sql: "INSERT INTO import_run (bundle, started_at) VALUES (?, ?)",
                           arguments: [bundle, ISO8601DateFormatter().string(from: Date())])
            return (db.lastInsertedRowID, unfinished)
        }
    }

    public func hasUnfinishedImportRun(bundle: String) throws -> Bool {
        try queue.read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM import_run WHERE bundle = ? AND complete = 0 LIMIT 1", arguments: [bundle]) ?? false
        }
    }

    public func finishImportRun(id: Int64, complete: Bool) throws {
        try queue.write { db in
            try db.execute(sql: "UPDATE import_run SET finished_at = ?, complete = ? WHERE id = ?",
                           arguments: [ISO8601DateFormatter().string(from: Date()), complete, id])
            if complete {
                // The bundle is fully imported: earlier unfinished runs of it are settled too.
                let bundle = try String.fetchOne(db, sql: "SELECT bundle FROM import_run WHERE id = ?", arguments: [id])
                try db.execute(sql: "UPDATE import_run SET complete = 1 WHERE bundle = ?", arguments: [bundle])
            }
        }
    }
}
