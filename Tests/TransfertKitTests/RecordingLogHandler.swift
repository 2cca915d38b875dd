import Foundation
import Logging

/// A swift-log handler that keeps every entry in memory, for tests that give a library type its logger and
/// check what it wrote there.
struct RecordingLogHandler: LogHandler {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    /// Shared by the copies swift-log makes of the handler.
    final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [Entry] = []
        var entries: [Entry] { lock.withLock { recorded } }
        func append(_ entry: Entry) { lock.withLock { recorded.append(entry) } }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    init(store: Store) { self.store = store }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.append(
            Entry(
                level: event.level, message: event.message.description,
                metadata: metadata.merging(event.metadata ?? [:]) { _, new in new }))
    }

    /// A logger writing to a new store, and the store.
    static func logger(label: String = "test") -> (Logger, Store) {
        let store = Store()
        return (Logger(label: label) { _ in RecordingLogHandler(store: store) }, store)
    }
}
