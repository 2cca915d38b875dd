import Crypto
import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The stamp of an establishment's uploads: a walk of `files/<id>/` that reads no file, only each entry's
/// path, type, inode, size, mtime and ctime (nanoseconds), folded into one SHA-256.
///
/// An added, removed, renamed, rewritten or touched file changes it (a rewrite changes ctime even when a
/// tool puts mtime back). A time within `FileStatus.racyWindow` of the walk leaves it unsettled:
/// a write in the same tick of the file system's clock could not be told apart.
public struct UploadsStamp: Codable, Equatable, Sendable {
    /// SHA-256 of the walk, hexadecimal.
    public var digest: String
    public var files: Int
    public var bytes: Int64
    public var settled: Bool

    public init(digest: String, files: Int, bytes: Int64, settled: Bool) {
        self.digest = digest
        self.files = files
        self.bytes = bytes
        self.settled = settled
    }

    public static func take(of directory: URL, now: Date = Date()) throws -> UploadsStamp {
        var hash = SHA256()
        var files = 0
        var bytes: Int64 = 0
        var settled = true
        guard let root = FileStatus(path: directory.path) else {
            hash.update(data: Data("absent".utf8))
            return UploadsStamp(digest: hex(hash.finalize()), files: 0, bytes: 0, settled: true)
        }
        // The root's own times change when an entry is added or removed directly inside it.
        hash.update(data: Data("root \(root)\n".utf8))
        if root.isRecent(now: now) { settled = false }
        var pending = [""]
        while let relative = pending.popLast() {
            let path = relative.isEmpty ? directory.path : directory.path + "/" + relative
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: path).sorted() } catch {
                throw UploadsStampError(path: path, reason: error.localizedDescription)
            }
            for name in names {
                let entry = relative.isEmpty ? name : relative + "/" + name
                guard let status = FileStatus(path: directory.path + "/" + entry) else {
                    // Removed while walking: this walk cannot prove anything.
                    settled = false
                    continue
                }
                if status.isRecent(now: now) { settled = false }
                hash.update(data: Data("\(status.kind) \(entry) \(status)\n".utf8))
                if status.kind == "d" {
                    pending.append(entry)
                } else {
                    files += 1
                    bytes = bytes.addingReportingOverflow(status.size).partialValue
                }
            }
        }
        return UploadsStamp(digest: hex(hash.finalize()), files: files, bytes: bytes, settled: settled)
    }

    private static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }
}
