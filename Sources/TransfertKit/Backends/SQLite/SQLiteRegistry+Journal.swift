import Foundation
import GRDB

/// The transfer journal (`transfer_journal`).
extension SQLiteRegistry {
    public func record(_ entry: JournalEntry) throws {
        try queue.write { db in try Self.record(entry, in: db) }
    }

    public func journal(guid: String?) throws -> [JournalEntry] {
        try queue.read { db in
            let rows = try guid.map {
                try Row.fetchAll(db, sql: "SELECT * FROM transfer_journal WHERE guid = ? ORDER BY id", arguments: [$0.lowercased()])
            } ?? Row.fetchAll(db, sql: "SELECT * FROM transfer_journal ORDER BY id")
            return rows.map { row in
                var entry = JournalEntry(event: JournalEntry.Event(rawValue: row["event"]) ?? .imported, guid: row["guid"],
                                         baseID: row["base_id"], denomination: row["denomination"],
                                         sourceServer: row["source_server"], sourceFingerprint: row["source_fingerprint"],
                                         sourceBaseID: row["source_base_id"], bundle: row["bundle"], details: row["details"],
                                         uai: row["uai"], targetServer: row["target_server"], targetFingerprint: row["target_fingerprint"],
                                         targetBaseID: row["target_base_id"], bundleSHA256: row["bundle_sha256"],
                                         digests: JournalEntry.decodeDigests(row["digests"]), note: row["note"],
                                         outcome: (row["outcome"] as String?).flatMap(JournalEntry.Outcome.init(rawValue:)))
                entry.id = row["id"]
                entry.at = row["at"]
                return entry
            }
        }
    }

    static func record(_ e: JournalEntry, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO transfer_journal (at, event, guid, base_id, denomination, source_server, source_fingerprint,
                                          source_base_id, bundle, details, uai, target_server, target_fingerprint,
                                          target_base_id, bundle_sha256, digests, note, outcome)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [e.at, e.event.rawValue, e.guid.lowercased(), e.baseID, e.denomination, e.sourceServer,
                            e.sourceFingerprint, e.sourceBaseID, e.bundle, e.details, e.uai, e.targetServer,
                            e.targetFingerprint, e.targetBaseID, e.bundleSHA256, JournalEntry.encodeDigests(e.digests),
                            e.note, e.outcome?.rawValue])
    }
}
