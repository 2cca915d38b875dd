import Foundation
import TransfertModel

/// What an engine observed of one establishment database, cheaply, so that a later observation can tell
/// whether anything may have been written since (`transfert backup run`'s change detection).
///
/// The rule is one-sided on purpose: equal stamps must mean "nothing written", while a different stamp
/// may be a false alarm (it only costs a backup). What an engine cannot observe precisely enough — a write
/// in the same tick of a coarse clock as the observation, a transaction in progress — makes the stamp
/// *unsettled*: it proves nothing, and the next comparison counts the database as changed.
public struct DatabaseChangeStamp: Codable, Equatable, Sendable {
    /// What was observed, in words an operator can read (`db ino=… size=… mtime=…`); compared whole.
    public var observed: String
    /// False when a write may have happened too close to the observation to be told apart from it.
    public var settled: Bool

    public init(observed: String, settled: Bool) {
        self.observed = observed
        self.settled = settled
    }
}
