import Foundation
import TransfertFormats
import TransfertModel

/// The state of the letters in the outbox (the messages themselves are `.eml` files).
public protocol OutboxRegistry: Sendable {
    /// Records a message just written to the outbox. `replacing` names earlier messages it supersedes
    /// (unsent letters of the same establishment): their rows go in the same transaction.
    func addOutboxMessage(_ message: OutboxMessage, replacing: [String]) throws
    /// Every outbox message, oldest first (by file name).
    func outboxMessages() throws -> [OutboxMessage]
    /// Records one delivery try of `file`: its state (unchanged when `attempt.state` is pending), one
    /// more attempt, the reply and the time.
    func recordDeliveryAttempt(file: String, _ attempt: DeliveryAttempt) throws
    /// Forgets messages whose file the operator deleted.
    func removeOutboxMessages(files: [String]) throws
}
