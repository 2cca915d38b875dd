import Foundation

/// One message of the outbox and what became of it: the `.eml` file's registry row.
///
/// States: ``State/pending`` (written, never tried or stopped by an unreachable relay),
/// ``State/sent`` (the relay accepted it: never sent again), ``State/failed`` (refused, with the
/// relay's reply; the next `outbox send` tries it again).
public struct OutboxMessage: Codable, Equatable, Sendable {
    public enum State: String, Codable, Sendable, CaseIterable {
        case pending, sent, failed
    }

    public enum Kind: String, Codable, Sendable {
        /// A notification letter: where an imported establishment now lives.
        case letter
        /// A free-text information letter.
        case newsletter
        /// A maintenance warning (`letters --template maintenance-warning`).
        case maintenance
    }

    /// The file name in `outbox/` (`20261123-184507-base12-letter-1b9d6bcd.eml`).
    public var file: String
    public var kind: Kind
    /// The establishment it is about.
    public var baseID: Int64?
    public var guid: String?
    /// The envelope recipient (the contact's address).
    public var recipient: String
    public var subject: String
    /// Without angle brackets.
    public var messageID: String
    /// ISO 8601, UTC.
    public var createdAt: String
    public var state: State
    /// Deliveries tried, over every `send`.
    public var attempts: Int
    /// The relay's last reply (`250 2.0.0 Ok: queued`, `550 5.1.1 … rejected`) or why it could not be reached.
    public var lastReply: String?
    public var lastAttemptAt: String?
    public var sentAt: String?

    public init(
        file: String, kind: Kind, baseID: Int64?, guid: String?, recipient: String, subject: String,
        messageID: String, createdAt: Date = Date()
    ) {
        self.file = file
        self.kind = kind
        self.baseID = baseID
        self.guid = guid
        self.recipient = recipient
        self.subject = subject
        self.messageID = messageID
        self.createdAt = ISO8601DateFormatter().string(from: createdAt)
        self.state = .pending
        self.attempts = 0
    }

    enum CodingKeys: String, CodingKey {
        case file, kind
        case baseID = "base_id"
        case guid, recipient, subject
        case messageID = "message_id"
        case createdAt = "created_at"
        case state, attempts
        case lastReply = "last_reply"
        case lastAttemptAt = "last_attempt_at"
        case sentAt = "sent_at"
    }
}

/// The outcome of one delivery try, as the outbox records it.
public struct DeliveryAttempt: Equatable, Sendable {
    /// `sent`, `failed`, or `pending` when the relay could not be reached (the message is kept as it was).
    public var state: OutboxMessage.State
    public var reply: String?
    public var at: Date

    public init(state: OutboxMessage.State, reply: String?, at: Date = Date()) {
        self.state = state
        self.reply = reply
        self.at = at
    }
}
