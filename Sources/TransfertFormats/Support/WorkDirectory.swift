import Foundation
import TransfertModel

/// A private temporary directory (mode 0700) for one command's scratch work — scratch databases, inner
/// ZIPs copied out, a bundle being assembled — named `<prefix>-<pid>-<random>` so that a later command
/// can tell the leftovers of a process that was killed (SIGKILL runs no cleanup) and remove them.
///
/// ```swift
/// let work = try WorkDirectory.create(prefix: "transfert-verify")
/// defer { WorkDirectory.remove(work) }
/// ```
package enum WorkDirectory {
    /// Creates the directory under `parent` (default: `$TMPDIR`), first removing the directories of the
    /// same prefix whose process is gone.
    package static func create(prefix: String, parent: URL? = nil) throws -> URL {
        let parent = parent ?? FileManager.default.temporaryDirectory
        removeAbandoned(prefix: prefix, in: parent)
        let directory = parent.appendingPathComponent("\(prefix)-\(getpid())-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return directory
    }

    package static func remove(_ directory: URL) {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Directories `<prefix>-<pid>-…` of processes that no longer run, owned by this user.
    static func removeAbandoned(prefix: String, in parent: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        for name in names where name.hasPrefix(prefix + "-") {
            let rest = name.dropFirst(prefix.count + 1)
            guard let pid = rest.split(separator: "-").first.flatMap({ Int32($0) }), pid > 0, pid != getpid() else {
                continue
            }
            guard kill(pid, 0) != 0, errno == ESRCH else { continue }  // still running, or not ours to judge
            let path = parent.appendingPathComponent(name)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path.path),
                (attributes[.ownerAccountID] as? NSNumber)?.uint32Value == getuid()
            else { continue }
            try? FileManager.default.removeItem(at: path)
        }
    }
}
