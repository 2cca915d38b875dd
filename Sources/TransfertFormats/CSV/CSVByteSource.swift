import Foundation
import TransfertModel

/// Where a CSV's bytes come from: read in chunks, as many times as the reader needs (once to recognise
/// the encoding, once to parse), never held whole. A file that grows past ``CSVLimits/maximumBytes``
/// while it is read (a pipe, a device, a file being written) is refused like a large one.
package enum CSVByteSource {
    case file(URL)
    case data(Data)

    /// Calls `body` with each chunk, in order, while it returns `true`; `isLast` is true for the final one
    /// (possibly empty).
    func forEachChunk(file: String, _ body: (_ chunk: UnsafeRawBufferPointer, _ isLast: Bool) throws -> Bool) throws {
        switch self {
        case .data(let data):
            guard data.count <= CSVLimits.maximumBytes else { throw Self.tooLarge(file) }
            try data.withUnsafeBytes { (all: UnsafeRawBufferPointer) in
                var start = 0
                repeat {
                    let end = min(start + CSVLimits.chunkBytes, all.count)
                    guard try body(UnsafeRawBufferPointer(rebasing: all[start..<end]), end == all.count) else { return }
                    start = end
                } while start < all.count
            }
        case .file(let url):
            let handle: FileHandle
            do { handle = try FileHandle(forReadingFrom: url) } catch { throw Self.unreadable(url) }
            defer { try? handle.close() }
            var total = 0
            var pending: Data?
            while true {
                let chunk: Data
                do { chunk = try handle.read(upToCount: CSVLimits.chunkBytes) ?? Data() } catch {
                    throw Self.unreadable(url)
                }
                total += chunk.count
                guard total <= CSVLimits.maximumBytes else { throw Self.tooLarge(file) }
                // One chunk behind, so that the last one is known as such.
                if let previous = pending, !(try previous.withUnsafeBytes({ try body($0, chunk.isEmpty) })) { return }
                if chunk.isEmpty {
                    if pending == nil { _ = try body(UnsafeRawBufferPointer(start: nil, count: 0), true) }
                    return
                }
                pending = chunk
            }
        }
    }

    static func tooLarge(_ file: String) -> CSVManifestError {
        CSVManifestError(
            file: file, line: nil, column: nil,
            message:
                "the file is larger than \(CSVLimits.maximumBytes / 1024 / 1024) MiB: it is not a Transfert CSV manifest"
        )
    }

    static func unreadable(_ url: URL) -> CSVManifestError {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
        return CSVManifestError(
            file: url.path, line: nil, column: nil,
            message:
                "cannot be read (\(!exists ? "no such file" : isDirectory.boolValue ? "it is a directory" : "permission denied"))"
        )
    }
}
