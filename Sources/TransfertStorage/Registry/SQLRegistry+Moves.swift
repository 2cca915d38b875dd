import TransfertFormats
import TransfertModel

/// Confirmed moves (`structure_move`).
extension SQLRegistry {
    public func confirmMoves(_ moves: [ConfirmedMove], journal: [JournalEntry]) throws {
        try exclusively { db in
            for move in moves {
                if try db.exists("SELECT 1 FROM structure_move WHERE base_id = ?", [.integer(move.baseID)]) {
                    throw MoveError.alreadyConfirmed(baseID: move.baseID)
                }
                try db.execute(
                    """
                    INSERT INTO structure_move (base_id, guid, denomination, localisation, uai, target_server, target_fingerprint, new_id,
                                                access_url, bundle, receipt_sha256, confirmed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .integer(move.baseID), .text(move.guid), .text(move.denomination), .text(move.localisation),
                        .optional(move.uai),
                        .text(move.targetServer), .text(move.targetFingerprint), .integer(move.newID),
                        .text(move.accessURL),
                        .text(move.bundle), .text(move.receiptSHA256), .text(move.confirmedAt),
                    ])
                try db.execute(
                    "UPDATE structure SET status = 'moved' WHERE base_id = ? AND guid = ?",
                    [.integer(move.baseID), .text(move.guid)])
            }
            for entry in journal { try Self.record(entry, in: db) }
        }
    }

    public func moves() throws -> [ConfirmedMove] {
        try read { db in
            try db.rows(
                """
                SELECT base_id, guid, denomination, localisation, uai, target_server, target_fingerprint, new_id, access_url, bundle,
                       receipt_sha256, confirmed_at FROM structure_move ORDER BY confirmed_at, base_id
                """
            ).map { row in
                ConfirmedMove(
                    baseID: row[0].integerValue ?? 0, guid: row[1].textValue ?? "",
                    denomination: row[2].textValue ?? "",
                    localisation: row[3].textValue ?? "", uai: row[4].textValue, targetServer: row[5].textValue ?? "",
                    targetFingerprint: row[6].textValue ?? "", newID: row[7].integerValue ?? 0,
                    accessURL: row[8].textValue ?? "",
                    bundle: row[9].textValue ?? "", receiptSHA256: row[10].textValue ?? "",
                    confirmedAt: row[11].textValue ?? "")
            }
        }
    }
}
