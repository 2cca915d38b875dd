import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

extension BackupCommand {
    struct Run: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Back up every open establishment changed since its last good backup (what cron runs nightly).",
            discussion: """
                Open: not moved away, not locked, not inside a maintenance window in progress; the others \
                are skipped and named. Changed: any table or uploaded file written since the establishment's \
                last good backup (verified, complete, not anonymised). Each backup is verified, then the \
                establishment's automatic/ area is pruned to backup.keep_automatic. A failure does not stop \
                the others; the run exits non-zero if any failed. Two runs never overlap: the second refuses \
                at once (backup.run_in_progress).
                --all is the yearly full run: every open establishment, changed or not, to yearly/.
                """
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions

        @Flag(help: "The yearly full run: every open establishment, changed or not, to yearly/.")
        var all = false

        func run() throws {
            let hosting = try hostingOptions.open()
            Interruption.install()
            var run = BackupRun(hosting: hosting, all: all)
            run.shouldStop = { Interruption.requested }
            let quiet = output.json || output.quiet
            run.observer = { entry in
                guard !quiet else { return }
                print("\(entry.id)\t\(entry.outcome.rawValue)\t\(entry.name)\(entry.reason.map { "\t\($0)" } ?? "")")
            }
            let report = try run.run()
            if output.json {
                try printJSON(report)
                if !report.failedIDs.isEmpty { throw ExitCode(1) }
                return
            }
            if !output.quiet {
                print("")
                print(
                    "\(report.summary); \(formatBytes(report.bytes)) in \(String(format: "%.1f s", report.seconds)) (\(report.area.rawValue)/ in \(report.directory))"
                )
            }
            if Interruption.requested {
                throw CommandFailure("interrupted: the establishments after the last one shown were not backed up")
            }
            if !report.failedIDs.isEmpty { throw BackupError.runFailed(failed: report.failedIDs) }
        }
    }
}
