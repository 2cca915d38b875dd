import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// `--progress`, for the commands whose work can last: export, import, verify, sample, letters, outbox
/// send. (`--quiet` and `--json`, which also turn the line off, are the root command's: ``OutputOptions``.)
struct ProgressOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "How progress is shown on standard error: auto (a line updated in place on a terminal; off with --quiet, --json, or when standard error is not a terminal), json (one object per event, for scripts), off.",
            valueName: "mode"))
    var progress: ProgressMode = .auto

    /// The progress of one piece of work and what shows it; `nil` when nothing is to be shown, so the
    /// work does not even count.
    func start(task: String, itemName: String, unit: ProgressUnit, output: OutputOptions) -> ProgressSession? {
        switch progress {
        case .off:
            return nil
        case .json:
            return ProgressSession(display: JSONProgressStream(), task: task, itemName: itemName, unit: unit)
        case .auto:
            guard !output.quiet, !output.json, isatty(STDERR_FILENO) == 1,
                ProcessInfo.processInfo.environment["TERM"] != "dumb"
            else { return nil }
            return ProgressSession(display: TerminalProgressLine(), task: task, itemName: itemName, unit: unit)
        }
    }
}
