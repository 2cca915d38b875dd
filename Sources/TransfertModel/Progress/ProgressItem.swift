/// One item of a ``WorkProgress`` being worked on: add to its amount as data goes by, finish it once.
public final class ProgressItem: Sendable {
    private let work: WorkProgress
    private let index: Int
    private let label: String

    init(work: WorkProgress, index: Int, label: String) {
        self.work = work
        self.index = index
        self.label = label
    }

    public func add(_ amount: Int64) {
        work.add(amount, toItem: index)
    }

    /// Finishing twice counts once: a failure path may finish what a success path already did.
    public func finish(outcome: String? = nil) {
        work.finishItem(index, label: label, outcome: outcome)
    }
}
