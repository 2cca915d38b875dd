import Foundation
import GRDB

/// Confirmed moves (`structure_move`).
extension SQLiteRegistry {
    public func confirmMoves(_ moves: [ConfirmedMove], journal: [JournalEntry]) throws {
        try immediateTransaction { db in
            for move in moves {
                if try Bool.fetchOne(db, sql: "SELECT 1 FROM structure_move WHERE base_id = ?", arguments: [move.baseID]) == true {
                    throw MoveError.alreadyConfirmed(baseID: move.baseID)
                }
                try db.execute(sql: """
                    INSERT INTO structure_move (base_id, guid, denomination, localisation, uai, target_server, target_fingerprint, new_id,
                                                access_url, bundle, receipt_sha256, confirmed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [move.baseID, move.guid, move.denomination, move.localisation, move.uai, move.targetServer,
                                     move.targetFingerprint, move.newID, move.accessURL, move.bundle, move.receiptSHA256, move.confirmedAt])
                try db.execute(sql: "UPDATE structure SET status = 'moved' WHERE base_id = ? AND guid = ?", arguments: [move.baseID, move.guid])
            }
            for entry in journal { try Self.record(entry, in: db) }
        }
    }

    public func moves() throws -> [ConfirmedMove] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM structure_move ORDER BY confirmed_at, base_id").map { row in
                ConfirmedMove(baseID: row["base_id"], guid: row["guid"], denomination: row["denomination"], localisation: row["localisation"],
                              uai: row["uai"], targetServer: row["target_server"], targetFingerprint: row["target_fingerprint"],
                              newID: row["new_id"], accessURL: row["access_url"], bundle: row["bundle"],
                              receiptSHA256: row["receipt_sha256"], confirmedAt: row["confirmed_at"])
            }
        }
    }
}
