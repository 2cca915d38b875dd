import Foundation
import TransfertFormats
import TransfertModel

/// The record of transfers: every export, import and removal, with the GUID that follows an establishment
/// across servers.
public protocol TransferJournal: Sendable {
    /// Appends an entry to the transfer journal.
    func record(_ entry: JournalEntry) throws
    /// Appends `entries` in one transaction: all of them or, when it throws, none. One commit (and its
    /// syncs) for many lines, such as an import receipt's line per establishment.
    func record(_ entries: [JournalEntry]) throws
    /// The journal, oldest first; only the entries of `guid` when given.
    func journal(guid: String?) throws -> [JournalEntry]
}
