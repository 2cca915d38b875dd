import Foundation
import TransfertKit

/// The newest lines of the hosting's operations log (`log/transfert.log`), read from its end (at most
/// `tailBytes` of it, so a years-long log costs no more than a short one), newest first.
struct OperationLogEntries: Sendable {
    struct Entry: Sendable {
        var at: String
        var user: String
        var via: String
        var command: String
        var establishments: [String]
        var outcome: String
        var error: String?
    }

    let file: URL
    var tailBytes: Int = 4 << 20

    init(hosting directory: URL) {
        file = directory.appendingPathComponent(OperationLog.relativePath)
    }

    func newest(limit: Int, matching filter: (Entry) -> Bool = { _ in true }) -> [Entry] {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return [] }
        defer { try? handle.close() }
        let end = (try? handle.seekToEnd()) ?? 0
        let start = end > UInt64(tailBytes) ? end - UInt64(tailBytes) : 0
        try? handle.seek(toOffset: start)
        let data = (try? handle.readToEnd()) ?? Data()
        var lines = data.split(separator: UInt8(ascii: "\n"))
        if start > 0, !lines.isEmpty { lines.removeFirst() }
        var entries: [Entry] = []
        for line in lines.reversed() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
            let metadata = object["metadata"] as? [String: Any] ?? object
            let entry = Entry(
                at: object["at"] as? String ?? "",
                user: metadata["user"] as? String ?? "",
                via: metadata["via"] as? String ?? "cli",
                command: metadata["command"] as? String ?? (object["message"] as? String ?? ""),
                establishments: (metadata["establishments"] as? [Any] ?? []).map { "\($0)" },
                outcome: metadata["outcome"] as? String ?? (object["level"] as? String ?? ""),
                error: metadata["error"] as? String)
            guard filter(entry) else { continue }
            entries.append(entry)
            if entries.count == limit { break }
        }
        return entries
    }
}
