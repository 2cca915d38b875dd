/// Told of every ``ProgressEvent`` of a ``WorkProgress``, on the thread that caused it (export and import
/// work on two threads: an observer must be thread-safe).
public protocol ProgressObserver: Sendable {
    func progress(_ event: ProgressEvent, _ snapshot: ProgressSnapshot)
}
