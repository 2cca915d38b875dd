import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

public struct ExportOptions: Sendable {
    public var selection: ExportSelection
    /// Where the two files go; default: the hosting's `exports/`.
    public var outputDirectory: URL?
    /// Uploads travel inside the bundle unless this is false (`--no-files`).
    public var includeFiles = true
    /// Keep each establishment locked after its dump (a real move: no write may follow).
    public var keepLocked = false
    /// The two files' name without extension; default: SACoche's `bases_dump_<date>_<random>`.
    /// Backups name theirs like Moodle's (`sauvegarde-<server>-structure-<id>-<slug>-<YYYYMMDD-HHMM>`).
    public var bundleName: String?
    /// Content categories left out (`--without users,logs`).
    public var without: [String] = []
    /// The only content categories carried (`--only settings,groups`); `nil`: no such restriction.
    public var only: [String]?
    /// Replace every personal-data column by a pseudonym (`--anonymise`).
    public var anonymise = false
    /// Whether `require_maintenance_window: true` applies: exports for a move do; backups (which only read,
    /// nightly, outside any window) do not.
    public var requiresMaintenanceWindow = true
    /// How hard the SQL chunks are deflated (`--compression-level`): level 1 by default, the fastest, whose
    /// ZIP stays within 1.2× of `sqlite3 .dump | gzip -6` (``DeflateLevel``).
    public var compressionLevel = DeflateLevel.standard
    /// The operator's words, kept in the journal with the export (`--note`).
    public var note: String?
    /// Polled between statements; `true` stops the export cleanly (SIGINT/SIGTERM).
    public var shouldStop: @Sendable () -> Bool = { false }
    /// Told of each establishment dumped and of the SQL bytes written.
    public var progress: WorkProgress?

    public init(
        selection: ExportSelection, outputDirectory: URL? = nil, includeFiles: Bool = true, keepLocked: Bool = false
    ) {
        self.selection = selection
        self.outputDirectory = outputDirectory
        self.includeFiles = includeFiles
        self.keepLocked = keepLocked
    }
}
