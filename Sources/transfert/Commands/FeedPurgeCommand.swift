import ArgumentParser
import Foundation
import TransfertKit

struct FeedPurgeCommand: ParsableCommand, TransfertSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Remove disabled feed records past a retention period from the feed's state.",
        discussion: """
            Only disabled records go (availability does not matter), and only those disabled before the \
            period: Blackboard recommends purging only after a retention period.
            Example: transfert feed purge --id 2 --older-than 365d --dry-run
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @Option(help: "The establishment.") var id: Int64
    @Option(name: .customLong("older-than"), help: "The retention period in days, e.g. 365d.") var olderThan: String
    @Flag(help: "Count, remove nothing.") var dryRun = false

    func run() throws {
        try reportingErrors(json: output.json) {
            let hosting = try hostingOptions.open()
            let count = try FeedState(hosting: hosting).purge(baseID: id, olderThan: olderThan, dryRun: dryRun)
            if output.json {
                return try printJSON(["base_id": id, "purged": dryRun ? 0 : count, "would_purge": dryRun ? count : 0])
            }
            print(
                dryRun
                    ? "Dry run: \(count) disabled record(s) older than \(olderThan) would be purged."
                    : "\(count) disabled record(s) older than \(olderThan) purged.")
        }
    }
}
