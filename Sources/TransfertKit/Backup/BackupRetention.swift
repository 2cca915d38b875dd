import Foundation
import TransfertModel

/// Which backups retention removes — a decision on records only, so it is tested without files.
///
/// - `automatic/`: the newest `keep_automatic` of each establishment are kept, older ones removed;
/// - `yearly/`, `manual/`, `private/`: removed once older than `retention_days`;
/// - never the **last good backup** of an establishment (its newest verified, complete, not anonymised
///   backup, whatever its area), however old: without it, the establishment could not be brought back.
public struct BackupRetention: Sendable {
    public var keepAutomatic: Int
    public var retentionDays: Int

    public init(keepAutomatic: Int, retentionDays: Int) {
        self.keepAutomatic = keepAutomatic
        self.retentionDays = retentionDays
    }

    public init(settings: BackupSettings) {
        self.init(keepAutomatic: settings.automaticKept, retentionDays: settings.retention)
    }

    /// A backup retention removes, and why.
    public struct Removal: Equatable, Sendable {
        public var record: BackupRecord
        public var reason: String
    }

    /// The removals among `records` at `now`; with `baseID`, only that establishment's.
    public func removals(of records: [BackupRecord], now: Date, baseID: Int64? = nil) -> [Removal] {
        let limit = now.addingTimeInterval(-Double(retentionDays) * 86_400)
        var removals: [Removal] = []
        let byEstablishment = Dictionary(
            grouping: records.filter { baseID == nil || $0.baseID == baseID }, by: \.baseID)
        for id in byEstablishment.keys.sorted() {
            let own = BackupDirectory.newestFirst(byEstablishment[id]!)
            let lastGood = Self.lastGood(of: own)
            var automaticSeen = 0
            for record in own {
                var reason: String?
                if record.area == .automatic {
                    automaticSeen += 1
                    if automaticSeen > keepAutomatic {
                        reason = "automatic backup beyond the newest \(keepAutomatic) (backup.keep_automatic)"
                    }
                } else if let created = record.createdDate, created < limit {
                    reason = "\(record.area.rawValue) backup older than \(retentionDays) days (backup.retention_days)"
                }
                guard let reason, record != lastGood else { continue }
                removals.append(Removal(record: record, reason: reason))
            }
        }
        return removals
    }

    /// The newest good backup (``BackupRecord/isGood``) among `records`.
    public static func lastGood(of records: [BackupRecord]) -> BackupRecord? {
        BackupDirectory.newestFirst(records).first(where: \.isGood)
    }
}
