import Foundation
import TransfertKit

/// The backups of the hosting as `/backups` shows them: every record of the backup directory (never a
/// bundle or a database is opened — the records say it all), newest first, and each establishment's last
/// good backup (the one it would be brought back from), which retention never removes.
struct BackupListing: Sendable {
    /// One backup, with whether it is its establishment's last good one.
    struct Entry: Sendable {
        var record: BackupRecord
        var isLastGood: Bool
        var csv: URL
        var zip: URL
        var bytes: Int64 { record.csvBytes.addingReportingOverflow(record.zipBytes).partialValue }
    }

    var directory: URL
    var entries: [Entry]
    /// Records this version cannot read: named on the page rather than skipped silently.
    var unreadable: [String]

    /// Reads the directory's records (on the services' read queue: it walks the disk).
    static func read(_ hosting: Hosting) -> BackupListing {
        let directory = BackupDirectory(hosting: hosting)
        let (records, unreadable) = directory.records()
        let grouped = Dictionary(grouping: records, by: \.baseID)
        var entries: [Entry] = []
        for id in grouped.keys.sorted() {
            let own = grouped[id]!.sorted { ($0.createdDate ?? .distantPast) > ($1.createdDate ?? .distantPast) }
            let lastGood = BackupRetention.lastGood(of: own)
            for record in own {
                let files = directory.files(of: record.name, in: record.area)
                entries.append(
                    Entry(
                        record: record,
                        isLastGood: record.name == lastGood?.name && record.area == lastGood?.area,
                        csv: files.csv, zip: files.zip))
            }
        }
        return BackupListing(directory: directory.url, entries: entries, unreadable: unreadable)
    }

    /// The backup named `name` in `area`, as the directory lists it — never a path taken from a form.
    func entry(area: BackupArea, name: String) -> Entry? {
        entries.first { $0.record.area == area && $0.record.name == name }
    }
}
