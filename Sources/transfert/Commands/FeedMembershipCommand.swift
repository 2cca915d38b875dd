import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel

struct FeedMembershipCommand: ParsableCommand, TransfertSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "membership",
        abstract:
            "Apply a membership snapshot flat file (pipe-delimited, with a header line) or a OneRoster 1.1 CSV package to one establishment.",
        discussion: """
            Operations, as Blackboard's SIS framework defines them: store (create or update the file's \
            records, nothing else), refresh (complete refresh: also disable every record of the integration \
            the file lacks), refresh-by-source (the same for the records of the run's data source only), \
            delete (disable the file's records). A refresh that would disable more than \
            feeds.max_disable_ratio (20 %) of the integration's enabled records is refused unless \
            --allow-mass-disable; an empty file disables nothing. Each row is created, updated, unchanged, \
            disabled, moved or failed (line, field, reason); exit 3 when rows failed (the others are \
            applied), 1 when the run was refused (nothing applied).
            --format oneroster reads a OneRoster 1.1 CSV package (a directory or a ZIP with manifest.csv, \
            enrollments.csv, classes.csv, users.csv): its manifest says the operation (bulk: a complete \
            refresh, with the same guard; delta: active rows stored, tobedeleted rows disabled, in \
            dateLastModified order), so --operation is not given.
            Example: transfert feed membership --id 2 --operation refresh-by-source --data-source sis-2026 m.txt
            Example: transfert feed membership --id 2 --format oneroster oneroster-2026.zip
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @Option(help: "The establishment.") var id: Int64
    @Option(help: "snapshot (a pipe-delimited flat file, default) or oneroster (a OneRoster 1.1 CSV directory or ZIP).")
    var format: FeedFileFormat = .snapshot
    @Option(help: "store, refresh, refresh-by-source or delete (snapshot files; a OneRoster manifest says its own).")
    var operation: SnapshotOperation?
    @Option(help: "The integration the file comes from: it owns the records it creates (default sis).")
    var integration: String = "sis"
    @Option(
        name: .customLong("data-source"),
        help: "The data source of rows that name none (default: the integration's name).")
    var dataSource: String?
    @Flag(help: "Apply nothing: show what would happen.") var dryRun = false
    @Flag(help: "Let a refresh disable more than feeds.max_disable_ratio of the records.")
    var allowMassDisable = false
    @Argument(help: "The snapshot flat file, or the OneRoster package (directory or ZIP).") var file: String

    func validate() throws {
        switch (format, operation) {
        case (.snapshot, nil):
            throw ValidationError(
                "--operation is required for a snapshot file: store, refresh, refresh-by-source or delete")
        case (.oneroster, _?):
            throw ValidationError(
                "--operation is not given with --format oneroster: manifest.csv's file.enrollments says bulk (a complete refresh) or delta (store)"
            )
        default: break
        }
    }

    func run() throws {
        var failed = false
        try reportingErrors(json: output.json) {
            let hosting = try hostingOptions.open()
            let url = URL(fileURLWithPath: file)
            func options(_ operation: SnapshotOperation) -> FeedRunOptions {
                FeedRunOptions(
                    baseID: id, operation: operation, integration: integration, dataSource: dataSource,
                    dryRun: dryRun, allowMassDisable: allowMassDisable)
            }
            let feed = MembershipFeed(hosting: hosting)
            let report: FeedRunReport
            switch format {
            case .snapshot:
                report = try feed.run(
                    options(operation ?? .store), source: SnapshotMembershipReader(url: url, file: file))
            case .oneroster:
                let source = try OneRosterMembershipReader(
                    url: url, file: file, settings: hosting.configuration.feedSettings.oneRosterSettings)
                report = try feed.run(options(source.operation), source: source)
            }
            failed = report.totals.failed > 0
            if output.json { return try FeedReportPrinter.printJSON(report) }
            try FeedReportPrinter.printText(report)
        }
        if failed { throw ExitCode(3) }
    }
}

extension SnapshotOperation: ExpressibleByArgument {}

/// `--format`: which kind of SIS file `feed membership` reads.
enum FeedFileFormat: String, ExpressibleByArgument, CaseIterable {
    case snapshot
    case oneroster
}
