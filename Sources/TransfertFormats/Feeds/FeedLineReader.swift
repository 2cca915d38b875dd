import Foundation

/// The lines of a feed file, read in chunks and never held whole: a file of millions of rows takes the
/// memory of one chunk and one line. A UTF-8 byte-order mark is skipped, CRLF ends a line like LF, and
/// each line is checked as UTF-8 on its own (so a chunk boundary never splits a character wrongly).
///
/// The CSV layer's `CSVByteSource` is not used: it refuses files past 64 MiB (manifests are small), and a
/// feed of a million memberships is larger than that.
struct FeedLineReader {
    let url: URL
    let file: String
    /// The longest line accepted, in bytes: a membership row is a few hundred bytes.
    static let maximumLineBytes = 64 * 1024
    static let chunkBytes = 256 * 1024

    /// Calls `body` with each line (without its end) and its number, from 1.
    func forEachLine(_ body: (_ text: String, _ line: Int) throws -> Void) throws {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw FeedFileError.unreadable(file: file, reason: Self.reason(url))
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        pending.reserveCapacity(Self.maximumLineBytes)
        var lineNumber = 1
        var first = true
        func emit(_ bytes: ArraySlice<UInt8>) throws {
            var bytes = bytes
            if first {
                first = false
                if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
                    throw FeedFileError.notUTF8(file: file, encoding: "UTF-16 (its byte-order mark says so)")
                }
                if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
            }
            if bytes.last == 0x0D { bytes = bytes.dropLast() }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw FeedFileError.invalidUTF8(file: file, line: lineNumber)
            }
            try body(text, lineNumber)
            lineNumber += 1
        }
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: Self.chunkBytes) ?? Data() } catch {
                throw FeedFileError.unreadable(file: file, reason: "a read failed: \(error.localizedDescription)")
            }
            if chunk.isEmpty { break }
            var start = chunk.startIndex
            while let newline = chunk[start...].firstIndex(of: 0x0A) {
                guard pending.count + (newline - start) <= Self.maximumLineBytes else {
                    throw FeedFileError.lineTooLong(file: file, line: lineNumber, limit: Self.maximumLineBytes)
                }
                pending.append(contentsOf: chunk[start..<newline])
                try emit(pending[...])
                pending.removeAll(keepingCapacity: true)
                start = newline + 1
            }
            guard pending.count + (chunk.endIndex - start) <= Self.maximumLineBytes else {
                throw FeedFileError.lineTooLong(file: file, line: lineNumber, limit: Self.maximumLineBytes)
            }
            pending.append(contentsOf: chunk[start...])
        }
        if !pending.isEmpty { try emit(pending[...]) }
    }

    private static func reason(_ url: URL) -> String {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        return !exists ? "no such file" : isDirectory.boolValue ? "it is a directory" : "permission denied"
    }
}
