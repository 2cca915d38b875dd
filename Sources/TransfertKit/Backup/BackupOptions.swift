import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What one backup holds and how it is checked (`backup create`'s options; a nightly run uses the defaults).
public struct BackupOptions: Sendable {
    /// Content categories left out (`--without`), passed to the exporter.
    public var without: [String] = []
    /// The only content categories carried (`--only`).
    public var only: [String]?
    /// Pseudonyms instead of personal data (`--anonymise`): the backup goes to `private/`.
    public var anonymise = false
    /// Uploads travel unless false (`--no-files`).
    public var includeFiles = true
    /// The operator's words, kept in the record and the journal.
    public var note: String?
    /// How the bundle is verified once written (quick by default: every entry's checksums).
    public var verification: VerificationLevel = []
    /// Polled by the export between statements.
    public var shouldStop: @Sendable () -> Bool = { false }

    public init(
        without: [String] = [], only: [String]? = nil, anonymise: Bool = false, includeFiles: Bool = true,
        note: String? = nil
    ) {
        self.without = without
        self.only = only
        self.anonymise = anonymise
        self.includeFiles = includeFiles
        self.note = note
    }
}
