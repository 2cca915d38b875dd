import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

extension BackupCommand {
    struct Create: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Back up establishments now, one bundle each, to manual/ (private/ when anonymised).",
            discussion: """
                Kept backup.retention_days. --without/--only leave content categories out (the profile's \
                categories; a category others depend on takes them out too, or is refused with the reason), \
                --anonymise replaces personal data by pseudonyms: such backups are not complete and never \
                count as an establishment's last good backup.
                Example: transfert backup create --ids 1,4 --note "avant la réinitialisation annuelle"
                """
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions

        @Option(
            name: .long, help: ArgumentHelp("Establishment ids, comma-separated.", valueName: "id,id…"),
            transform: parseIDList)
        var ids: [Int64]

        @OptionGroup var content: ContentOptions

        @Flag(help: "Replace personal data by pseudonyms (the backup goes to private/).")
        var anonymise = false

        @Flag(
            name: [.customLong("include-files"), .customLong("files")], inversion: .prefixedNo, exclusivity: .exclusive,
            help: "Include the uploaded files (the default), or leave them out (--no-files).")
        var includeFiles = true

        @Option(help: ArgumentHelp("Your words, kept with the backup.", valueName: "text"))
        var note: String?

        func run() throws {
            let hosting = try hostingOptions.open()
            Interruption.install()
            var options = BackupOptions(
                without: content.without ?? [], only: content.only, anonymise: anonymise, includeFiles: includeFiles,
                note: note)
            options.shouldStop = { Interruption.requested }
            let maker = BackupMaker(hosting: hosting)
            var records: [BackupRecord] = []
            for id in ids {
                records.append(try maker.create(baseID: id, area: .manual, options: options))
            }
            if output.json {
                try printJSON(records)
            } else {
                for record in records {
                    let files = maker.directory.files(of: record.name, in: record.area)
                    print(
                        "\(record.baseID)\t\(record.area.rawValue)/\(record.name)\t\(record.content.summary)\tverified: \(record.verification.verdict.shown)"
                    )
                    print("  CSV: \(files.csv.path)")
                    print("  ZIP: \(files.zip.path)")
                }
            }
            let failed = records.filter { $0.verification.verdict != .yes }
            guard failed.isEmpty else {
                if output.json { throw ExitCode(1) }
                throw CommandFailure(
                    failed.map {
                        "the backup \($0.name) did not verify: \($0.verification.problems.joined(separator: "; "))"
                    }
                    .joined(separator: "\n"))
            }
        }
    }
}
