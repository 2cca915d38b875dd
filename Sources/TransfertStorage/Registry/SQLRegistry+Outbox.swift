import Foundation
import TransfertFormats
import TransfertModel

/// The outbox's delivery states (`outbox_message`).
extension SQLRegistry {
    public func addOutboxMessage(_ m: OutboxMessage, replacing: [String]) throws {
        try exclusively { db in
            for file in replacing {
                try db.execute("DELETE FROM outbox_message WHERE file = ? AND state != 'sent'", [.text(file)])
            }
            try db.execute(
                """
                INSERT INTO outbox_message (file, kind, base_id, guid, recipient, subject, message_id, created_at, state, attempts,
                                            last_reply, last_attempt_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(m.file), .text(m.kind.rawValue), .optional(m.baseID), .optional(m.guid), .text(m.recipient),
                    .text(m.subject),
                    .text(m.messageID), .text(m.createdAt), .text(m.state.rawValue), .integer(Int64(m.attempts)),
                    .optional(m.lastReply), .optional(m.lastAttemptAt), .optional(m.sentAt),
                ])
        }
    }

    public func outboxMessages() throws -> [OutboxMessage] {
        try read { db in
            try db.rows(
                """
                SELECT file, kind, base_id, guid, recipient, subject, message_id, created_at, state, attempts, last_reply, last_attempt_at, sent_at
                FROM outbox_message ORDER BY file
                """
            ).map { row in
                var message = OutboxMessage(
                    file: row[0].textValue ?? "", kind: OutboxMessage.Kind(rawValue: row[1].textValue ?? "") ?? .letter,
                    baseID: row[2].integerValue, guid: row[3].textValue, recipient: row[4].textValue ?? "",
                    subject: row[5].textValue ?? "", messageID: row[6].textValue ?? "")
                message.createdAt = row[7].textValue ?? ""
                message.state = OutboxMessage.State(rawValue: row[8].textValue ?? "") ?? .pending
                message.attempts = Int(row[9].integerValue ?? 0)
                message.lastReply = row[10].textValue
                message.lastAttemptAt = row[11].textValue
                message.sentAt = row[12].textValue
                return message
            }
        }
    }

    public func recordDeliveryAttempt(file: String, _ attempt: DeliveryAttempt) throws {
        let at = ISO8601DateFormatter().string(from: attempt.at)
        try write { db in
            try db.execute(
                """
                UPDATE outbox_message SET attempts = attempts + 1, last_reply = ?, last_attempt_at = ?,
                  state = CASE WHEN ? = 'pending' THEN state ELSE ? END,
                  sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END
                WHERE file = ?
                """,
                [
                    .optional(attempt.reply), .text(at), .text(attempt.state.rawValue), .text(attempt.state.rawValue),
                    .text(attempt.state.rawValue), .text(at), .text(file),
                ])
        }
    }

    public func removeOutboxMessages(files: [String]) throws {
        try write { db in
            for file in files { try db.execute("DELETE FROM outbox_message WHERE file = ?", [.text(file)]) }
        }
    }
}
