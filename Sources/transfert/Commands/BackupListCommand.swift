import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

extension BackupCommand {
    struct List: ParsableCommand, TransfertSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List backups per establishment, newest first: area, date, size, what they hold, verified.",
            discussion: "Reads the backup directory only (the records beside the bundles)."
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert

        @Option(help: ArgumentHelp("Only this establishment's backups.", valueName: "id"))
        var id: Int64?

        /// One establishment's backups, in `--json`.
        struct Establishment: Encodable {
            var id: Int64
            var name: String
            /// The backup it would be brought back from: newest verified, complete, not anonymised.
            var lastGood: String?
            /// Its area: names repeat across areas (a manual and an automatic backup of the same minute).
            var lastGoodArea: BackupArea?
            var backups: [Shown]

            enum CodingKeys: String, CodingKey {
                case id, name
                case lastGood = "last_good"
                case lastGoodArea = "last_good_area"
                case backups
            }

            func isLastGood(_ record: BackupRecord) -> Bool {
                record.name == lastGood && record.area == lastGoodArea
            }
        }

        /// A record as listed, with its files' place.
        struct Shown: Encodable {
            var record: BackupRecord
            var csv: String
            var zip: String

            func encode(to encoder: any Encoder) throws {
                try record.encode(to: encoder)
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode(csv, forKey: .csv)
                try container.encode(zip, forKey: .zip)
                try container.encode(record.content.isComplete, forKey: .complete)
                try container.encode(record.verification.verdict.rawValue, forKey: .verified)
                try container.encode(
                    record.csvBytes.addingReportingOverflow(record.zipBytes).partialValue, forKey: .bytes)
            }

            enum Keys: String, CodingKey { case csv, zip, complete, verified, bytes }
        }

        func run() throws {
            let hosting = try hostingOptions.open()
            let directory = BackupDirectory(hosting: hosting)
            let (records, unreadable) = directory.records()
            for path in unreadable {
                printError("warning: \(path) is not a backup record this version reads: left out")
            }
            let selected = records.filter { id == nil || $0.baseID == id }
            let grouped = Dictionary(grouping: selected, by: \.baseID)
            let establishments = grouped.keys.sorted().map { id in
                let own = grouped[id]!
                let lastGood = BackupRetention.lastGood(of: own)
                return Establishment(
                    id: id, name: own[0].denomination, lastGood: lastGood?.name, lastGoodArea: lastGood?.area,
                    backups: own.map { record in
                        let files = directory.files(of: record.name, in: record.area)
                        return Shown(record: record, csv: files.csv.path, zip: files.zip.path)
                    })
            }
            if output.json { return try printJSON(establishments) }
            var table = TextTable(columns: [
                .init("Id", alignment: .right), .init("Area"), .init("Date"), .init("Size", alignment: .right),
                .init("Holds"), .init("Verified"), .init("Backup"),
            ])
            let time = MaintenanceTime(timeZone: hosting.configuration.timeZone)
            for establishment in establishments {
                for shown in establishment.backups {
                    let record = shown.record
                    let marker = establishment.isLastGood(record) ? " (last good)" : ""
                    table.append([
                        String(record.baseID), record.area.rawValue,
                        record.createdDate.map { time.iso($0) } ?? record.created,
                        formatBytes(record.csvBytes.addingReportingOverflow(record.zipBytes).partialValue),
                        record.content.summary, record.verification.verdict.shown, record.name + marker,
                    ])
                }
            }
            print(table.render())
            print(
                "\(selected.count) backup\(selected.count == 1 ? "" : "s") of \(establishments.count) establishment\(establishments.count == 1 ? "" : "s") in \(directory.url.path)"
            )
        }
    }
}
