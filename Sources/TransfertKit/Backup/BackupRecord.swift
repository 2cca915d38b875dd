import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The metadata file kept beside each backup (`<name>.backup.json`, owner-only): what `backup list`,
/// retention and change detection read, so that none of them opens a bundle or a database.
public struct BackupRecord: Codable, Equatable, Sendable {
    /// The version of this file's layout.
    public var format = 1
    /// The bundle's name: `<name>.csv` and `<name>.zip` sit beside this file.
    public var name: String
    public var area: BackupArea
    public var baseID: Int64
    public var guid: String
    /// The establishment's name when it was backed up.
    public var denomination: String
    /// When the backup was made (ISO 8601, UTC).
    public var created: String
    public var content: Content
    public var csvBytes: Int64
    public var zipBytes: Int64
    public var verification: Verification
    /// The establishment's stamp taken before its dump; `nil` when none could be taken.
    public var stamp: BackupChangeStamp?
    /// The operator's words (`--note`).
    public var note: String?

    /// What the backup holds.
    public struct Content: Codable, Equatable, Sendable {
        /// Content categories left out (`--without`).
        public var without: [String]
        /// The only categories carried (`--only`); `nil`: no such restriction.
        public var only: [String]?
        public var anonymised: Bool
        public var includesFiles: Bool

        public init(without: [String] = [], only: [String]? = nil, anonymised: Bool = false, includesFiles: Bool = true)
        {
            self.without = without
            self.only = only
            self.anonymised = anonymised
            self.includesFiles = includesFiles
        }

        /// Everything, as it was: no category left out, uploads included, not anonymised.
        public var isComplete: Bool { without.isEmpty && only == nil && includesFiles && !anonymised }

        /// `complete`, or what is missing (`without users, logs; no files`, `anonymised`).
        public var summary: String {
            var parts: [String] = []
            if let only { parts.append("only \(only.joined(separator: ", "))") }
            if !without.isEmpty { parts.append("without \(without.joined(separator: ", "))") }
            if !includesFiles { parts.append("no files") }
            if anonymised { parts.append("anonymised") }
            return parts.isEmpty ? "complete" : parts.joined(separator: "; ")
        }

        enum CodingKeys: String, CodingKey {
            case without, only, anonymised
            case includesFiles = "includes_files"
        }
    }

    /// The verdict of the verification made right after the backup.
    public struct Verification: Codable, Equatable, Sendable {
        public enum Verdict: String, Codable, Sendable {
            /// Verified: the bundle reads and every checksum matches.
            case yes
            /// Not verified (verification was not asked).
            case no
            /// Verification found problems (listed).
            case failed
        }
        public var verdict: Verdict
        /// `default` or `deep` (``VerificationLevel/label``).
        public var level: String
        public var problems: [String]

        public init(verdict: Verdict, level: String, problems: [String] = []) {
            self.verdict = verdict
            self.level = level
            self.problems = problems
        }
    }

    /// A backup an establishment can be brought back from as it was: verified and complete (not anonymised).
    public var isGood: Bool { verification.verdict == .yes && content.isComplete }

    /// ``created`` as a date, with or without fractional seconds (`nil` for a hand-edited value that is
    /// not ISO 8601).
    public var createdDate: Date? {
        (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(created))
            ?? (try? Date.ISO8601FormatStyle().parse(created))
    }

    /// What ``created`` is written with: milliseconds, so backups made in the same second keep their order.
    public static func time(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    enum CodingKeys: String, CodingKey {
        case format, name, area
        case baseID = "id"
        case guid, denomination, created, content
        case csvBytes = "csv_bytes"
        case zipBytes = "zip_bytes"
        case verification, stamp, note
    }

    public init(
        name: String, area: BackupArea, baseID: Int64, guid: String, denomination: String, created: String,
        content: Content, csvBytes: Int64 = 0, zipBytes: Int64 = 0,
        verification: Verification = .init(verdict: .no, level: "default"), stamp: BackupChangeStamp? = nil,
        note: String? = nil
    ) {
        self.name = name
        self.area = area
        self.baseID = baseID
        self.guid = guid
        self.denomination = denomination
        self.created = created
        self.content = content
        self.csvBytes = csvBytes
        self.zipBytes = zipBytes
        self.verification = verification
        self.stamp = stamp
        self.note = note
    }
}
