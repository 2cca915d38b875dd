import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// A ``WorkProgress`` and its display, for the length of one command's work.
///
/// End it before printing results: the line is cleared, so the result table is printed on a clean
/// terminal. Ending twice is harmless, so commands also end it in a `defer` for their failure paths.
final class ProgressSession: Sendable {
    let work: WorkProgress
    private let display: any ProgressDisplay

    init(display: any ProgressDisplay, task: String, itemName: String, unit: ProgressUnit) {
        self.display = display
        work = WorkProgress(task: task, itemName: itemName, unit: unit, observer: display)
        display.attach(work)
    }

    func end() { work.end() }

    /// Prints a result line while the work goes on, above the progress line.
    func printAbove(_ line: String) { display.printAbove(line) }
}
