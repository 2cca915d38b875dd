import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel

struct FeedMembershipCommand: ParsableCommand, TransfertSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "membership",
        abstract: "Apply a membership snapshot flat file (pipe-delimited, with a header line) to one establishment.",
        discussion: """
            Operations, as Blackboard's SIS framework defines them: store (create or update the file's \
            records, nothing else), refresh (complete refresh: also disable every record of the integration \
            the file lacks), refresh-by-source (the same for the records of the run's data source only), \
            delete (disable the file's records). A refresh that would disable more than \
            feeds.max_disable_ratio (20 %) of the integration's enabled records is refused unless \
            --allow-mass-disable; an empty file disables nothing. Each row is created, updated, unchanged, \
            disabled, moved or failed (line, field, reason); exit 3 when rows failed (the others are \
            applied), 1 when the run was refused (nothing applied).
            Example: transfert feed membership --id 2 --operation refresh-by-source --data-source sis-2026 m.txt
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @Option(help: "The establishment.") var id: Int64
    @Option(help: "store, refresh, refresh-by-source or delete.") var operation: SnapshotOperation
    @Option(help: "The integration the file comes from: it owns the records it creates (default sis).")
    var integration: String = "sis"
    @Option(
        name: .customLong("data-source"),
        help: "The data source of rows that name none (default: the integration's name).")
    var dataSource: String?
    @Flag(help: "Apply nothing: show what would happen.") var dryRun = false
    @Flag(help: "Let a refresh disable more than feeds.max_disable_ratio of the records.")
    var allowMassDisable = false
    @Argument(help: "The snapshot flat file.") var file: String

    func run() throws {
        var failed = false
        try reportingErrors(json: output.json) {
            let hosting = try hostingOptions.open()
            let report = try MembershipFeed(hosting: hosting).run(
                FeedRunOptions(
                    baseID: id, operation: operation, integration: integration, dataSource: dataSource,
                    dryRun: dryRun, allowMassDisable: allowMassDisable),
                source: SnapshotMembershipReader(url: URL(fileURLWithPath: file), file: file))
            failed = report.totals.failed > 0
            if output.json { return try FeedReportPrinter.printJSON(report) }
            try FeedReportPrinter.printText(report)
        }
        if failed { throw ExitCode(3) }
    }
}

extension SnapshotOperation: ExpressibleByArgument {}
