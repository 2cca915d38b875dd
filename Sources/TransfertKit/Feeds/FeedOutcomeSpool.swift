import Foundation

/// The outcomes of a run, kept in a temporary file rather than in memory (a million rows give a million
/// outcomes) and read back once the run committed or rolled back: what is shown is what happened.
public final class FeedOutcomeSpool {
    private let url: URL
    private let handle: FileHandle
    private let encoder = JSONEncoder()
    private var buffer = Data()

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "transfert-feed-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).jsonl")
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forUpdating: url)
        // The file is unlinked at once: it goes away with the process, whatever happens.
        try? FileManager.default.removeItem(at: url)
    }

    deinit { try? handle.close() }

    func append(_ outcome: FeedOutcome) throws {
        buffer.append(try encoder.encode(outcome))
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with each outcome, in the order they were appended.
    public func forEachOutcome(_ body: (FeedOutcome) throws -> Void) throws {
        try flush()
        try handle.seek(toOffset: 0)
        let decoder = JSONDecoder()
        var pending = Data()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            pending.append(chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                try body(try decoder.decode(FeedOutcome.self, from: pending[start..<newline]))
                start = newline + 1
            }
            pending = Data(pending[start...])
        }
        try handle.seekToEnd()
    }
}
