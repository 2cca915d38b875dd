import ArgumentParser
import Foundation
import TransfertKit

/// `--quiet` and `--progress`, for the commands whose work can last: export, import, verify, sample,
/// letters, outbox send.
struct ProgressOptions: ParsableArguments {
    @Flag(name: .shortAndLong, help: "Show no progress line.")
    var quiet = false

    @Option(help: ArgumentHelp("How progress is shown on standard error: auto (a line updated in place on a terminal; off with --quiet, --json, or when standard error is not a terminal), json (one object per event, for scripts), off.",
                               valueName: "mode"))
    var progress: ProgressMode = .auto

    /// The progress of one piece of work and what shows it; `nil` when nothing is to be shown, so the
    /// work does not even count.
    func start(task: String, itemName: String, unit: ProgressUnit, json: Bool) -> ProgressSession? {
        switch progress {
        case .off:
            return nil
        case .json:
            return ProgressSession(display: JSONProgressStream(), task: task, itemName: itemName, unit: unit)
        case .auto:
            guard !quiet, !json, isatty(STDERR_FILENO) == 1, ProcessInfo.processInfo.environment["TERM"] != "dumb" else { return nil }
            return ProgressSession(display: TerminalProgressLine(), task: task, itemName: itemName, unit: unit)
        }
    }
}
