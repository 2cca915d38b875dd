import Foundation
import Synchronization
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// `--progress json`: one JSON object per line on standard error — `began`, `item_started`,
/// `item_finished`, `ended`, and a `progress` sample every second in between — for scripts that follow
/// long work while reading its result on standard output.
///
///     {"done_amount":0,"done_items":0,"elapsed":0,"event":"began","item_name":"establishments","task":"import","total_amount":5242880,"total_items":3,"unit":"bytes"}
final class JSONProgressStream: ProgressDisplay {
    private let ticker = ProgressTicker()
    private let work = Mutex<WorkProgress?>(nil)
    private let ended = Mutex(false)

    func attach(_ work: WorkProgress) {
        self.work.withLock { $0 = work }
        ticker.start(every: 1) { [self] in
            guard !ended.withLock({ $0 }), let snapshot = self.work.withLock({ $0?.snapshot() }) else { return }
            emit(ProgressRecord(event: "progress", snapshot))
        }
    }

    func progress(_ event: ProgressEvent, _ snapshot: ProgressSnapshot) {
        var record: ProgressRecord
        switch event {
        case .began:
            record = ProgressRecord(event: "began", snapshot)
        case .itemStarted(let index, let label):
            record = ProgressRecord(event: "item_started", snapshot)
            record.index = index
            record.label = label
        case .itemFinished(let index, let label, let outcome):
            record = ProgressRecord(event: "item_finished", snapshot)
            record.index = index
            record.label = label
            record.outcome = outcome
        case .ended:
            let first = ended.withLock { ended in
                defer { ended = true }
                return !ended
            }
            guard first else { return }
            let last = ProgressRecord(event: "ended", snapshot)
            ticker.stop { [self] in emit(last) }
            return
        }
        ticker.run { [self, record] in emit(record) }
    }

    func printAbove(_ line: String) {
        print(line)
        fflush(nil)
    }

    private func emit(_ record: ProgressRecord) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(record) else { return }
        FileHandle.standardError.write(data + Data("\n".utf8))
    }
}
