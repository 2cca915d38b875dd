import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

extension BackupCommand {
    struct Prune: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(
            commandName: "prune",
            abstract: "Apply retention: keep_automatic per establishment, retention_days for the others.",
            discussion: """
                Removes automatic backups beyond the newest backup.keep_automatic of each establishment, and \
                yearly, manual and private backups older than backup.retention_days — never an \
                establishment's last good backup (newest verified, complete, not anonymised), however old. \
                Also cleans what interrupted backups left (partial files of processes that are gone, bundle \
                files without a record older than a day). --dry-run says what it would remove.
                """
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions

        @Flag(help: "Say what would be removed, remove nothing.")
        var dryRun = false

        func run() throws {
            let hosting = try hostingOptions.open()
            let pruner = BackupPruner(hosting: hosting)
            var lock: BackupRunLock?
            if !dryRun {
                try pruner.directory.prepare()
                // Not while a run writes backups and prunes them itself.
                lock = try BackupRunLock.acquire(in: pruner.directory)
            }
            defer { lock?.release() }
            let report = pruner.prune(dryRun: dryRun)
            if output.json {
                try printJSON(report)
            } else {
                let verb = dryRun ? "would remove" : "removed"
                for removed in report.removed {
                    print(
                        "\(verb) \(removed.area.rawValue)/\(removed.name) (establishment \(removed.id)): \(removed.reason)"
                    )
                }
                for path in report.leftovers { print("\(verb) leftover \(path)") }
                for path in report.unreadable {
                    printError("warning: \(path) is not a backup record this version reads: left in place")
                }
                print(
                    "\(report.removed.count) backup\(report.removed.count == 1 ? "" : "s") and \(report.leftovers.count) leftover\(report.leftovers.count == 1 ? "" : "s") \(verb)"
                )
            }
            if !report.errors.isEmpty {
                if output.json { throw ExitCode(1) }
                throw CommandFailure("could not remove:\n" + report.errors.joined(separator: "\n"))
            }
        }
    }
}
