import Foundation
import GRDB

/// The outbox's delivery states (`outbox_message`).
extension SQLiteRegistry {
    public func addOutboxMessage(_ m: OutboxMessage, replacing: [String]) throws {
        try immediateTransaction { db in
            for file in replacing {
                try db.execute(sql: "DELETE FROM outbox_message WHERE file = ? AND state != 'sent'", arguments: [file])
            }
            try db.execute(sql: """
                INSERT INTO outbox_message (file, kind, base_id, guid, recipient, subject, message_id, created_at, state,
                                            attempts, last_reply, last_attempt_at, sent_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [m.file, m.kind.rawValue, m.baseID, m.guid, m.recipient, m.subject, m.messageID, m.createdAt,
                                 m.state.rawValue, m.attempts, m.lastReply, m.lastAttemptAt, m.sentAt])
        }
    }

    public func outboxMessages() throws -> [OutboxMessage] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox_message ORDER BY file").map { row in
                var message = OutboxMessage(
                    file: row["file"], kind: OutboxMessage.Kind(rawValue: row["kind"]) ?? .letter, baseID: row["base_id"],
                    guid: row["guid"], recipient: row["recipient"], subject: row["subject"], messageID: row["message_id"])
                message.createdAt = row["created_at"]
                message.state = OutboxMessage.State(rawValue: row["state"]) ?? .pending
                message.attempts = row["attempts"]
                message.lastReply = row["last_reply"]
                message.lastAttemptAt = row["last_attempt_at"]
                message.sentAt = row["sent_at"]
                return message
            }
        }
    }

    public func recordDeliveryAttempt(file: String, _ attempt: DeliveryAttempt) throws {
        let at = ISO8601DateFormatter().string(from: attempt.at)
        try queue.write { db in
            try db.execute(sql: """
                UPDATE outbox_message
                SET attempts = attempts + 1, last_reply = ?, last_attempt_at = ?,
                    state = CASE WHEN ? = 'pending' THEN state ELSE ? END,
                    sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END
                WHERE file = ?
                """, arguments: [attempt.reply, at, attempt.state.rawValue, attempt.state.rawValue, attempt.state.rawValue, at, file])
        }
    }

    public func removeOutboxMessages(files: [String]) throws {
        try queue.write { db in
            for file in files { try db.execute(sql: "DELETE FROM outbox_message WHERE file = ?", arguments: [file]) }
        }
    }
}
