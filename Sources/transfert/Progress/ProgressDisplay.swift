import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// Something that shows a ``WorkProgress``: told of its events, and given the work to sample between them.
protocol ProgressDisplay: ProgressObserver {
    func attach(_ work: WorkProgress)
    /// Prints `line` on standard output while the work goes on (outbox send's line per letter), without
    /// mixing it with the progress line.
    func printAbove(_ line: String)
}
