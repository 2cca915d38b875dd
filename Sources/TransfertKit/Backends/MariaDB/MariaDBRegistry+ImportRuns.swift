import Foundation

/// Import claims and runs.
extension MariaDBRegistry {
    public func claimForImport(_ structures: [Structure], reserved: Set<Int64>, isFree: (Int64) -> Bool) throws -> [Structure] {
        try exclusiveTransaction { connection in
            let taken = reserved.union(structures.map(\.baseID).filter { $0 != 0 })
            var fresh = try Self.freeIDs(count: structures.filter { $0.baseID == 0 }.count, reserved: taken, isFree: isFree, in: connection)
                .makeIterator()
            return try structures.map { structure in
                var structure = structure
                structure.status = .importing
                if structure.baseID == 0 { structure.baseID = fresh.next()! }
                try Self.insert(structure, in: connection)
                try Self.insert(StructureLock.automatic(baseID: structure.baseID, kind: .restore), in: connection)
                return structure
            }
        }
    }

    public func completeImport(baseID: Int64, journal: JournalEntry) throws {
        try exclusiveTransaction { connection in
            try connection.run("UPDATE structure SET status = 'active' WHERE base_id = ?", [.integer(baseID)])
            try connection.run("DELETE FROM structure_lock WHERE base_id = ?", [.integer(baseID)])
            try Self.record(journal, in: connection)
        }
    }

    public func abandonedImports() throws -> [Structure] {
        let live = Set(try locks(at: Date()).live.map(\.baseID))
        return try structures().filter { $0.status == .importing && !live.contains($0.baseID) }
    }

    public func startImportRun(bundle: String) throws -> (id: Int64, resumes: Bool) {
        try exclusiveTransaction { connection in
            let unfinished = try !connection.rows("SELECT 1 FROM import_run WHERE bundle = ? AND complete = 0 LIMIT 1", [.text(bundle)]).isEmpty
            try connection.run("INSERT INTO import_run (bundle, started_at) VALUES (?, ?)",
                               [.text(bundle), .text(ISO8601DateFormatter().string(from: Date()))])
            return (connection.lastInsertID, unfinished)
        }
    }

    public func hasUnfinishedImportRun(bundle: String) throws -> Bool {
        try withConnection { try !$0.rows("SELECT 1 FROM import_run WHERE bundle = ? AND complete = 0 LIMIT 1", [.text(bundle)]).isEmpty }
    }

    public func finishImportRun(id: Int64, complete: Bool) throws {
        try exclusiveTransaction { connection in
            try connection.run("UPDATE import_run SET finished_at = ?, complete = ? WHERE id = ?",
                               [.text(ISO8601DateFormatter().string(from: Date())), .integer(complete ? 1 : 0), .integer(id)])
            if complete {
                // The bundle is fully imported: earlier unfinished runs of it are settled too.
                try connection.run("UPDATE import_run SET complete = 1 WHERE bundle = (SELECT bundle FROM (SELECT bundle FROM import_run WHERE id = ?) AS run)",
                                   [.integer(id)])
            }
        }
    }
}
