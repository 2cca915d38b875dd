import Foundation
import TransfertModel

/// What makes one restored establishment active: its id, the journal line of its import and, when the
/// bundle gives one, its own letter language (``ImportRunRegistry/completeImports(_:)``).
public struct ImportCompletion: Sendable {
    public var baseID: Int64
    public var journal: JournalEntry
    public var letterLanguage: String?

    public init(baseID: Int64, journal: JournalEntry, letterLanguage: String?) {
        self.baseID = baseID
        self.journal = journal
        self.letterLanguage = letterLanguage
    }
}
