import Foundation
import Synchronization
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// The progress line on a terminal: drawn on standard error, redrawn in place ten times a second when
/// it changed, cleared when the work ends so that results print on a clean line.
final class TerminalProgressLine: ProgressDisplay {
    private let ticker = ProgressTicker()
    private let work = Mutex<WorkProgress?>(nil)
    /// What is on the screen now ("" when nothing), touched on the ticker's queue only.
    private let shown = Mutex("")
    private let ended = Mutex(false)

    func attach(_ work: WorkProgress) {
        self.work.withLock { $0 = work }
        ticker.start(every: 0.1) { [self] in self.redraw() }
    }

    func progress(_ event: ProgressEvent, _ snapshot: ProgressSnapshot) {
        switch event {
        case .ended:
            let first = ended.withLock { ended in
                defer { ended = true }
                return !ended
            }
            guard first else { return }
            ticker.stop { [self] in
                if !shown.withLock({ $0.isEmpty }) { write("\r\u{1B}[K") }
                shown.withLock { $0 = "" }
            }
        default:
            ticker.run { [self] in self.draw(snapshot) }
        }
    }

    func printAbove(_ line: String) {
        ticker.runAndWait {
            let shownLine = shown.withLock { $0 }
            if !shownLine.isEmpty { write("\r\u{1B}[K") }
            print(line)
            fflush(nil)
            if !shownLine.isEmpty { write(shownLine) }
        }
    }

    private func redraw() {
        guard let snapshot = work.withLock({ $0?.snapshot() }) else { return }
        draw(snapshot)
    }

    private func draw(_ snapshot: ProgressSnapshot) {
        guard snapshot.begun, !ended.withLock({ $0 }) else { return }
        let line = ProgressLine.render(snapshot, width: TerminalWidth.current())
        let changed = shown.withLock { shown -> Bool in
            guard shown != line else { return false }
            shown = line
            return true
        }
        if changed { write("\r\u{1B}[K" + line) }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
