import Foundation
import TransfertFormats
import TransfertModel

/// What `transfert restore` did (or, with `--dry-run`, would do) to an establishment.
public struct RestoreReport: Codable, Sendable {
    public var baseID: Int64
    public var mode: RestoreMode
    public var dryRun: Bool
    public var bundle: String
    /// The bundle's establishment restored (its export id and name).
    public var fromID: Int64
    public var fromName: String
    /// The backup taken before `--replace` touched anything.
    public var safetyBackup: String?
    /// Content categories left out, each with why (`asked`, or the reference that took it out).
    public var leftOut: [ContentSelection.LeftOut] = []
    /// Tables whose rows were not restored (their manifest digests were not checked).
    public var leftOutTables: [String] = []
    /// The bundle's name, place, UAI and settings were taken (`--overwrite-settings`).
    public var settingsOverwritten = false
    /// `--merge`: per table, what was added, matched and found already there.
    public var merged: [MergeTableSummary] = []
    /// `--merge`: every bundle row matched to an existing one by its natural key.
    public var matches: [MergeMatch] = []
    /// The profile's restore checks, bundle against establishment.
    public var checks: [RestoreCheckResult] = []
    public var notes: [String] = []
    public var seconds: Double = 0

    enum CodingKeys: String, CodingKey {
        case baseID = "base_id"
        case mode
        case dryRun = "dry_run"
        case bundle
        case fromID = "from_id"
        case fromName = "from_name"
        case safetyBackup = "safety_backup"
        case leftOut = "left_out"
        case leftOutTables = "left_out_tables"
        case settingsOverwritten = "settings_overwritten"
        case merged, matches, checks, notes, seconds
    }

    /// Every check ran and every count is as expected.
    public var checksPass: Bool { checks.allSatisfy(\.isEqual) }
}
