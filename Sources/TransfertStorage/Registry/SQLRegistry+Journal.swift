import TransfertFormats
import TransfertModel

/// The transfer journal (`transfer_journal`).
extension SQLRegistry {
    private static let journalColumns = """
        id, at, event, guid, base_id, denomination, source_server, source_fingerprint, source_base_id, bundle, details,
        uai, target_server, target_fingerprint, target_base_id, bundle_sha256, digests, note, outcome
        """

    public func record(_ entry: JournalEntry) throws {
        try write { try Self.record(entry, in: $0) }
    }

    public func record(_ entries: [JournalEntry]) throws {
        guard !entries.isEmpty else { return }
        try write { db in for entry in entries { try Self.record(entry, in: db) } }
    }

    public func journal(guid: String?) throws -> [JournalEntry] {
        let rows = try read { db in
            try guid.map {
                try db.rows(
                    "SELECT \(Self.journalColumns) FROM transfer_journal WHERE guid = ? ORDER BY id",
                    [.text($0.lowercased())])
            }
                ?? db.rows("SELECT \(Self.journalColumns) FROM transfer_journal ORDER BY id")
        }
        return rows.map { row in
            var entry = JournalEntry(
                event: JournalEntry.Event(rawValue: row[2].textValue ?? "") ?? .imported, guid: row[3].textValue ?? "",
                baseID: row[4].integerValue ?? 0, denomination: row[5].textValue ?? "",
                sourceServer: row[6].textValue, sourceFingerprint: row[7].textValue,
                sourceBaseID: row[8].integerValue, bundle: row[9].textValue, details: row[10].textValue,
                uai: row[11].textValue, targetServer: row[12].textValue, targetFingerprint: row[13].textValue,
                targetBaseID: row[14].integerValue, bundleSHA256: row[15].textValue,
                digests: JournalEntry.decodeDigests(row[16].textValue), note: row[17].textValue,
                outcome: row[18].textValue.flatMap(JournalEntry.Outcome.init(rawValue:)))
            entry.id = row[0].integerValue
            entry.at = row[1].textValue ?? ""
            return entry
        }
    }

    static func record(_ e: JournalEntry, in db: any SQLStatements) throws {
        try db.execute(
            """
            INSERT INTO transfer_journal (at, event, guid, base_id, denomination, source_server, source_fingerprint, source_base_id, bundle, details,
              uai, target_server, target_fingerprint, target_base_id, bundle_sha256, digests, note, outcome)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(e.at), .text(e.event.rawValue), .text(e.guid.lowercased()), .integer(e.baseID),
                .text(e.denomination),
                .optional(e.sourceServer), .optional(e.sourceFingerprint), .optional(e.sourceBaseID),
                .optional(e.bundle), .optional(e.details),
                .optional(e.uai), .optional(e.targetServer), .optional(e.targetFingerprint), .optional(e.targetBaseID),
                .optional(e.bundleSHA256), .optional(JournalEntry.encodeDigests(e.digests)), .optional(e.note),
                .optional(e.outcome?.rawValue),
            ])
    }
}
