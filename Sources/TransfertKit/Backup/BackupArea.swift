import Foundation

/// The folders of the backup directory, one per kind of backup, each with its own retention.
public enum BackupArea: String, Codable, Sendable, CaseIterable, Comparable {
    /// Nightly backups of changed establishments (`backup run`): the newest `keep_automatic` kept.
    case automatic
    /// The yearly full run (`backup run --all`): kept `retention_days`.
    case yearly
    /// Backups an operator asked for (`backup create`, a restore's safety backup): kept `retention_days`.
    case manual
    /// Anonymised copies (`backup create --anonymise`), apart from the others: kept `retention_days`.
    case `private`

    public static func < (lhs: BackupArea, rhs: BackupArea) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
