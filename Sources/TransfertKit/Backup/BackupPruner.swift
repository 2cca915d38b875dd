import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Applies ``BackupRetention`` to a backup directory, and cleans what interrupted backups left: partial
/// files of processes that are gone, name reservations and bundle files without a record older than a
/// day (a backup in progress has them for minutes).
public struct BackupPruner: Sendable {
    public let directory: BackupDirectory
    public let retention: BackupRetention

    public init(directory: BackupDirectory, retention: BackupRetention) {
        self.directory = directory
        self.retention = retention
    }

    public init(hosting: Hosting) {
        self.init(
            directory: BackupDirectory(hosting: hosting),
            retention: BackupRetention(settings: hosting.configuration.backupSettings))
    }

    /// What a prune removed (or, dry, would remove).
    public struct Report: Codable, Sendable {
        public struct Removed: Codable, Sendable {
            public var id: Int64
            public var area: BackupArea
            public var name: String
            public var created: String
            public var reason: String
        }
        public var dryRun: Bool
        public var removed: [Removed] = []
        /// Leftovers of interrupted backups, by path.
        public var leftovers: [String] = []
        /// Records that could not be read (left in place: a person looks at them).
        public var unreadable: [String] = []
        /// What could not be removed, and why.
        public var errors: [String] = []

        enum CodingKeys: String, CodingKey {
            case dryRun = "dry_run"
            case removed, leftovers, unreadable, errors
        }
    }

    /// Prunes every establishment (``baseID`` nil) or one; leftovers only on a whole prune.
    public func prune(now: Date = Date(), dryRun: Bool = false, baseID: Int64? = nil) -> Report {
        var report = Report(dryRun: dryRun)
        let (records, unreadable) = directory.records()
        report.unreadable = unreadable
        for removal in retention.removals(of: records, now: now, baseID: baseID) {
            let record = removal.record
            if !dryRun {
                do { try directory.remove(record) } catch {
                    report.errors.append("\(record.name): \(error.localizedDescription)")
                    continue
                }
            }
            report.removed.append(
                .init(
                    id: record.baseID, area: record.area, name: record.name, created: record.created,
                    reason: removal.reason))
        }
        if baseID == nil {
            report.leftovers = cleanLeftovers(now: now, dryRun: dryRun, errors: &report.errors)
        }
        return report
    }

    /// Partial files of dead processes (`.<name>.partial-<pid>`), reservations and record-less bundle
    /// files older than a day.
    func cleanLeftovers(now: Date, dryRun: Bool, errors: inout [String]) -> [String] {
        var cleaned: [String] = []
        for area in BackupArea.allCases {
            let folder = directory.areaURL(area)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() {
                let url = folder.appendingPathComponent(name)
                let age =
                    (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date)
                    .map { now.timeIntervalSince($0) } ?? 0
                var leftover = false
                if name.hasPrefix("."), let range = name.range(of: ".partial-") {
                    let pid = Int32(name[range.upperBound...]) ?? 0
                    leftover = pid <= 0 || kill(pid, 0) != 0
                } else if name.hasPrefix("."), name.hasSuffix(".reserved") {
                    leftover = age > 86_400
                } else if name.hasPrefix("sauvegarde-"), name.hasSuffix(".csv") || name.hasSuffix(".zip") {
                    let bundle = String(name.dropLast(4))
                    // A record that exists but cannot be read still claims its bundle.
                    let record = folder.appendingPathComponent(bundle + BackupDirectory.recordSuffix)
                    leftover = !FileManager.default.fileExists(atPath: record.path) && age > 86_400
                }
                guard leftover else { continue }
                if !dryRun {
                    do { try FileManager.default.removeItem(at: url) } catch {
                        errors.append("\(url.path): \(error.localizedDescription)")
                        continue
                    }
                }
                cleaned.append(url.path)
            }
        }
        return cleaned
    }
}
