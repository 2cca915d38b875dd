import Foundation

/// What a SIS feed run does with its file, as Blackboard's snapshot flat-file processing names it.
public enum SnapshotOperation: String, Codable, Sendable, CaseIterable {
    /// The file's records are created or updated; nothing else is touched.
    case store
    /// Complete Refresh: store, then disable every record the integration owns that the file lacks.
    case refresh
    /// Complete Refresh by Data Source: the same, but only records of the integration's data source.
    case refreshBySource = "refresh-by-source"
    /// Disables the file's records.
    case delete

    /// Whether records absent from the file are disabled afterwards (the file is the whole truth).
    public var disablesAbsentRecords: Bool { self == .refresh || self == .refreshBySource }
}
