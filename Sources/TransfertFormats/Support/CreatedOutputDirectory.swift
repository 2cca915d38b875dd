import Foundation
import TransfertModel

/// An output directory made for one command, remembering which of its levels did not exist before, so
/// that a command that fails can take back what it created: bad input never leaves an empty `--out`
/// behind. A directory the operator had already made is never removed, and neither is one that is no
/// longer empty (`rmdir(2)` only removes empty directories, so a file someone put there meanwhile stays).
///
/// ```swift
/// let output = try CreatedOutputDirectory.create(at: url)
/// do { … } catch { output.removeIfEmpty(); throw error }
/// ```
package struct CreatedOutputDirectory: Sendable {
    let url: URL
    /// The levels this command created, deepest first.
    private let created: [URL]

    /// Creates `url` and its missing parents with mode 0700, noting which of them were missing.
    package static func create(at url: URL) throws -> CreatedOutputDirectory {
        var missing: [URL] = []
        var level = url.standardizedFileURL
        while !FileManager.default.fileExists(atPath: level.path), level.path != "/" {
            missing.append(level)
            level = level.deletingLastPathComponent()
        }
        try FileManager.default.createDirectory(
            at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return CreatedOutputDirectory(url: url, created: missing)
    }

    /// Removes the levels this command created, deepest first, as long as they are empty.
    package func removeIfEmpty() {
        for level in created {
            guard rmdir(level.path) == 0 else { return }
        }
    }
}
