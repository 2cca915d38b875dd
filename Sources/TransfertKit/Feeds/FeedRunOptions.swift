import Foundation
import TransfertFormats

/// What `transfert feed membership` asks: the establishment, the operation, who feeds, and whether to
/// apply it.
public struct FeedRunOptions: Sendable {
    public var baseID: Int64
    public var operation: SnapshotOperation
    /// The integration the run speaks for: it owns the records it creates, and a refresh disables only
    /// its own. Default `sis`.
    public var integration: String
    /// `--data-source KEY`: the data source of records whose row names none; default the integration's
    /// own (its name). `refresh-by-source` disables only absent records of this data source.
    public var dataSource: String?
    public var dryRun: Bool
    public var allowMassDisable: Bool
    /// The clock, for `first_seen`/`last_seen`/`disabled_at` (tests give a fixed one).
    public var now: Date

    public init(
        baseID: Int64, operation: SnapshotOperation, integration: String = "sis", dataSource: String? = nil,
        dryRun: Bool = false, allowMassDisable: Bool = false, now: Date = Date()
    ) {
        self.baseID = baseID
        self.operation = operation
        self.integration = integration
        self.dataSource = dataSource
        self.dryRun = dryRun
        self.allowMassDisable = allowMassDisable
        self.now = now
    }

    /// The data source a row without `DATA_SOURCE_KEY` belongs to.
    public var effectiveDataSource: String { dataSource ?? integration }

    /// Integration and data source names: short, printable, no separators a file could confuse.
    static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64
            && text.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0))
            }
    }
}

/// What a feed run did: totals, notes, and each record's outcome (read from ``outcomes``).
public struct FeedRunReport {
    public var baseID: Int64
    public var operation: SnapshotOperation
    public var integration: String
    public var dataSource: String
    public var file: String
    /// The run's number in this establishment's feed history (continues after a move).
    public var runID: Int64
    public var dryRun: Bool
    public var totals: FeedTotals
    /// What the operator should know besides the rows (an empty file disabled nothing…).
    public var notes: [String]
    public let outcomes: FeedOutcomeSpool
}
