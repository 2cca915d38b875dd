import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

@Suite("Work progress and its line")
struct WorkProgressTests {
    /// Records what an observer hears.
    final class Recorder: ProgressObserver, @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [ProgressEvent] = []
        var events: [ProgressEvent] { lock.withLock { recorded } }
        func progress(_ event: ProgressEvent, _ snapshot: ProgressSnapshot) { lock.withLock { recorded.append(event) } }
    }

    @Test func itemsAndAmountsAddUpAndAnItemNeverCountsMoreThanItsExpectedAmount() {
        let recorder = Recorder()
        let work = WorkProgress(task: "import", itemName: "establishments", unit: .bytes, observer: recorder)
        #expect(!work.snapshot().begun)
        work.begin(items: 2, amount: 300)
        let first = work.startItem("Collège Émile Zola", expected: 100)
        first.add(60)
        first.add(80)  // a wrong guess: capped at 100
        #expect(work.snapshot().doneAmount == 100)
        let second = work.startItem("Lycée Marie Curie", expected: 200)
        second.add(50)
        #expect(work.snapshot().current == ["Collège Émile Zola", "Lycée Marie Curie"])
        first.finish(outcome: "imported")
        first.finish(outcome: "imported")  // counted once
        #expect(work.snapshot().doneItems == 1 && work.snapshot().doneAmount == 150)
        second.finish(outcome: "failed")  // a failed item still ends: its whole amount is behind us
        let last = work.snapshot()
        #expect(last.doneItems == 2 && last.doneAmount == 300 && last.current.isEmpty)
        work.end()
        #expect(
            recorder.events == [
                .began, .itemStarted(index: 1, label: "Collège Émile Zola"),
                .itemStarted(index: 2, label: "Lycée Marie Curie"),
                .itemFinished(index: 1, label: "Collège Émile Zola", outcome: "imported"),
                .itemFinished(index: 2, label: "Lycée Marie Curie", outcome: "failed"), .ended,
            ])
    }

    @Test func twoThreadsCountingAtOnceLoseNothing() {
        let work = WorkProgress(task: "export", itemName: "establishments", unit: .bytes)
        work.begin(items: 2)
        let items = [work.startItem("a"), work.startItem("b")]
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            for _ in 0..<10_000 { items[index].add(3) }
        }
        #expect(work.snapshot().doneAmount == 60_000)
    }

    func snapshot(
        done: Int64, total: Int64?, items: (Int, Int), elapsed: TimeInterval, current: [String] = [],
        unit: ProgressUnit = .bytes
    ) -> ProgressSnapshot {
        ProgressSnapshot(
            begun: true, task: "import", itemName: "establishments", unit: unit, doneItems: items.0,
            totalItems: items.1,
            doneAmount: done, totalAmount: total, current: current, elapsed: elapsed)
    }

    @Test func theLineSaysItemsBytesRateAndTimeLeft() {
        let line = ProgressLine.render(
            snapshot(
                done: 45 * 1_048_576, total: 120 * 1_048_576, items: (2, 12), elapsed: 5,
                current: ["Nîmes | Collège Jean Moulin"]), width: 200)
        #expect(
            line
                == "import  3/12 establishments · 45.0 of 120.0 MiB · 9.0 MiB/s · 9 s left · Nîmes | Collège Jean Moulin"
        )
        // Without a total (an export's): bytes so far, and time left from the items done.
        let export = ProgressLine.render(
            snapshot(done: 3 * 1_048_576, total: nil, items: (1, 4), elapsed: 10), width: 200)
        #expect(export == "import  1/4 establishments · 3.0 MiB · 307.2 KiB/s · 30 s left")
        let letters = ProgressLine.render(
            snapshot(done: 0, total: nil, items: (10, 300), elapsed: 0.2, unit: .items), width: 200)
        #expect(letters == "import  10/300 establishments")
    }

    @Test func timeLeftReadsLikeAClockAndTheLineNeverWraps() {
        #expect(ProgressLine.duration(5.2) == "6 s")
        #expect(ProgressLine.duration(130) == "2 min 10 s")
        #expect(ProgressLine.duration(3_900) == "1 h 05 min")
        let line = ProgressLine.render(
            snapshot(done: 1, total: 2, items: (0, 1), elapsed: 0, current: ["Cité scolaire Saint-Exupéry"]), width: 30)
        #expect(line.count == 29 && line.hasSuffix("…"), "\(line)")
    }
}
