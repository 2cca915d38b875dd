import Foundation
import Synchronization

/// Counts a long piece of work as it goes — items (establishments, letters) and an amount (bytes, rows) —
/// so that a terminal line or a script can follow it.
///
/// The work only counts; it never draws. Whoever shows progress reads ``snapshot()`` when it likes (a
/// terminal line redraws ten times a second) and hears of starts and ends through its
/// ``ProgressObserver``. Counting is a few additions under a lock, made per chunk of data, never per row:
/// it costs nothing measurable.
///
/// ```swift
/// let progress = WorkProgress(task: "import", itemName: "establishments", unit: .bytes)
/// progress.begin(items: 2, amount: 3_000_000)
/// let item = progress.startItem("Collège Jean Moulin", expected: 1_000_000)
/// item.add(65_536)            // as data is read
/// item.finish(outcome: "imported")
/// progress.end()
/// ```
public final class WorkProgress: Sendable {
    public let task: String
    public let itemName: String
    public let unit: ProgressUnit
    private let observer: (any ProgressObserver)?
    private let started = Date()
    private let state = Mutex(State())

    struct State {
        var begun = false
        var totalItems = 0
        var totalAmount: Int64?
        var doneItems = 0
        /// The amount of finished items.
        var finishedAmount: Int64 = 0
        var active: [Int: Active] = [:]
        var nextIndex = 1
    }

    struct Active {
        var label: String
        var expected: Int64?
        var done: Int64 = 0
        /// What this item counts towards the whole: its expected amount is a ceiling, so a wrong guess
        /// never shows more done than there is.
        var counted: Int64 { expected.map { min(done, $0) } ?? done }
    }

    public init(task: String, itemName: String, unit: ProgressUnit, observer: (any ProgressObserver)? = nil) {
        self.task = task
        self.itemName = itemName
        self.unit = unit
        self.observer = observer
    }

    /// The work's size: `items` in all, and the whole amount when it is known in advance.
    public func begin(items: Int, amount: Int64? = nil) {
        state.withLock { state in
            state.begun = true
            state.totalItems = items
            state.totalAmount = amount
        }
        observer?.progress(.began, snapshot())
    }

    /// One item begins; `expected` is its amount when known (a dump's size).
    public func startItem(_ label: String, expected: Int64? = nil) -> ProgressItem {
        let index = state.withLock { state in
            let index = state.nextIndex
            state.nextIndex += 1
            state.active[index] = Active(label: label, expected: expected)
            return index
        }
        observer?.progress(.itemStarted(index: index, label: label), snapshot())
        return ProgressItem(work: self, index: index, label: label)
    }

    /// An amount done outside any item.
    public func add(_ amount: Int64) {
        state.withLock { $0.finishedAmount = $0.finishedAmount.saturatingAdding(amount) }
    }

    func add(_ amount: Int64, toItem index: Int) {
        state.withLock { state in
            if let done = state.active[index]?.done { state.active[index]?.done = done.saturatingAdding(amount) }
        }
    }

    func finishItem(_ index: Int, label: String, outcome: String?) {
        let finished = state.withLock { state -> Bool in
            guard let item = state.active.removeValue(forKey: index) else { return false }
            state.doneItems += 1
            state.finishedAmount = state.finishedAmount.saturatingAdding(item.expected ?? item.done)
            return true
        }
        if finished { observer?.progress(.itemFinished(index: index, label: label, outcome: outcome), snapshot()) }
    }

    /// The work is over (it may have failed): observers clear their line.
    public func end() {
        observer?.progress(.ended, snapshot())
    }

    public func snapshot() -> ProgressSnapshot {
        let elapsed = Date().timeIntervalSince(started)
        return state.withLock { state in
            let active = state.active.sorted { $0.key < $1.key }
            // Amounts come from manifests (sizes a file declares): added without trapping, shown capped.
            var done = state.finishedAmount.saturatingAdding(active.lazy.map(\.value.counted).saturatingSum())
            if let total = state.totalAmount { done = min(done, total) }
            return ProgressSnapshot(
                begun: state.begun, task: task, itemName: itemName, unit: unit, doneItems: state.doneItems,
                totalItems: state.totalItems, doneAmount: done, totalAmount: state.totalAmount,
                current: active.map(\.value.label), elapsed: elapsed)
        }
    }
}
