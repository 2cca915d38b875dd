import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What a `backup run` did, establishment by establishment, and its totals.
public struct BackupRunReport: Codable, Sendable {
    public enum Outcome: String, Codable, Sendable {
        case backedUp = "backed_up"
        case unchanged
        case skipped
        case failed
    }

    public struct Entry: Codable, Sendable {
        public var id: Int64
        public var name: String
        public var outcome: Outcome
        /// Why it was skipped or failed, or what an unchanged one was compared with.
        public var reason: String?
        /// The backup made.
        public var backup: String?
        public var area: BackupArea?
        public var bytes: Int64?
        /// Backups of this establishment retention removed after this one.
        public var pruned: [String]?
    }

    /// `automatic` (nightly) or `yearly` (`--all`).
    public var area: BackupArea
    public var directory: String
    public var entries: [Entry] = []
    public var seconds: Double = 0

    public func count(_ outcome: Outcome) -> Int { entries.filter { $0.outcome == outcome }.count }
    /// Bytes of the backups made (CSV and ZIP).
    public var bytes: Int64 { entries.compactMap(\.bytes).reduce(0) { $0.addingReportingOverflow($1).partialValue } }
    public var failedIDs: [Int64] { entries.filter { $0.outcome == .failed }.map(\.id) }

    /// `3 backed up, 294 unchanged, 2 skipped, 1 failed; 12.4 MB in 8.1 s`.
    public var summary: String {
        "\(count(.backedUp)) backed up, \(count(.unchanged)) unchanged, \(count(.skipped)) skipped, \(count(.failed)) failed"
    }

    enum CodingKeys: String, CodingKey {
        case area, directory, entries, seconds
        case backedUp = "backed_up"
        case unchanged, skipped, failed, bytes
    }

    public init(area: BackupArea, directory: String) {
        self.area = area
        self.directory = directory
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        area = try container.decode(BackupArea.self, forKey: .area)
        directory = try container.decode(String.self, forKey: .directory)
        entries = try container.decode([Entry].self, forKey: .entries)
        seconds = try container.decode(Double.self, forKey: .seconds)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(area, forKey: .area)
        try container.encode(directory, forKey: .directory)
        try container.encode(entries, forKey: .entries)
        try container.encode(seconds, forKey: .seconds)
        try container.encode(count(.backedUp), forKey: .backedUp)
        try container.encode(count(.unchanged), forKey: .unchanged)
        try container.encode(count(.skipped), forKey: .skipped)
        try container.encode(count(.failed), forKey: .failed)
        try container.encode(bytes, forKey: .bytes)
    }
}
