/// The moments of a piece of work worth telling a script about (`--progress json`); the amount in
/// between is sampled, not sent per byte.
public enum ProgressEvent: Sendable, Equatable {
    /// The work begins: how many items, and the amount when known.
    case began
    /// One item starts (`index` counts from 1).
    case itemStarted(index: Int, label: String)
    /// One item is finished; `outcome` is its verdict in a word when it has one ("imported", "failed").
    case itemFinished(index: Int, label: String, outcome: String?)
    /// The work is over, whatever its result.
    case ended
}
