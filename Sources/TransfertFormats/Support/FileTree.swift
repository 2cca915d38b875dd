import Crypto
import Foundation
import TransfertModel

/// Walks an establishment's files directory.
package enum FileTree {
    /// Number and total size of the regular files below `directory` (0 when it does not exist).
    package static func summary(of directory: URL) throws -> (count: Int, bytes: Int64) {
        guard
            let enumerator = FileManager.default.enumerator(
                at: directory, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey])
        else { return (0, 0) }
        var count = 0
        var bytes: Int64 = 0
        for case let url as URL in enumerator {
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
            guard values.isRegularFile == true else { continue }
            count += 1
            bytes += Int64(values.fileSize ?? 0)
        }
        return (count, bytes)
    }

    /// Every regular file below `directory`, by relative path (sorted), with its size and SHA-256.
    package static func digests(of directory: URL) throws -> [(path: String, size: Int64, sha256: String)] {
        guard
            let enumerator = FileManager.default.enumerator(
                at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        else {
            return []
        }
        let rootPath = directory.standardizedFileURL.resolvingSymlinksInPath().path
        var result: [(String, Int64, String)] = []
        for case let url as URL in enumerator
        where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            let full = url.standardizedFileURL.resolvingSymlinksInPath().path
            let relative = String(full.dropFirst(rootPath.count + 1))
            // Hashed in slices: an upload may be larger than memory should hold.
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            var hasher = SHA256()
            var size: Int64 = 0
            while let data = try handle.read(upToCount: 1024 * 1024), !data.isEmpty {
                hasher.update(data: data)
                size += Int64(data.count)
            }
            result.append((relative, size, hasher.finalize().hexString))
        }
        return result.sorted { $0.0 < $1.0 }
    }
}
