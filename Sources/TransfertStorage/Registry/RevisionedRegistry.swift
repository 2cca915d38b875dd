import Foundation
import TransfertFormats
import TransfertModel

/// A registry that says whether it changed: its revision rises in every write transaction, whoever writes
/// (any command, any process, any host). A reader that keeps what it read in memory — the portal — reads
/// this one number to know when to read again.
public protocol RevisionedRegistry: Sendable {
    /// The registry's revision: the same number twice means nothing was written in between.
    func revision() throws -> Int64
}
