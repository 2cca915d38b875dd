import Foundation
import TransfertFormats
import TransfertModel

/// An establishment's uploads restored beside the live directory (`files/.restore-<id>-…`), then swapped
/// in by two renames on one file system; the live directory is kept aside until ``discard()``.
final class StagedFiles {
    let live: URL
    /// Whether the bundle's files replace the live ones (otherwise nothing moves).
    let restores: Bool
    let staging: URL
    let kept: URL
    private var swapped = false

    init(live: URL, restores: Bool) {
        self.live = live
        self.restores = restores
        let parent = live.deletingLastPathComponent()
        let suffix = "\(live.lastPathComponent)-\(getpid())-\(UUID().uuidString.prefix(8).lowercased())"
        staging = parent.appendingPathComponent(".restore-\(suffix)")
        kept = parent.appendingPathComponent(".restore-kept-\(suffix)")
    }

    func swapIntoPlace() throws {
        guard restores else { return }
        let manager = FileManager.default
        try manager.createDirectory(
            at: live.deletingLastPathComponent(), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        // A bundle with no file for it restores no directory: the establishment then has none.
        if !manager.fileExists(atPath: staging.path) {
            try manager.createDirectory(
                at: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let hadLive = manager.fileExists(atPath: live.path)
        if hadLive { try manager.moveItem(at: live, to: kept) }
        do {
            try manager.moveItem(at: staging, to: live)
        } catch {
            if hadLive { try? manager.moveItem(at: kept, to: live) }
            throw error
        }
        swapped = true
    }

    func undoSwap() throws {
        guard swapped else { return }
        let manager = FileManager.default
        try manager.moveItem(at: live, to: staging)
        if manager.fileExists(atPath: kept.path) { try manager.moveItem(at: kept, to: live) }
        swapped = false
    }

    func discard() {
        try? FileManager.default.removeItem(at: staging)
        try? FileManager.default.removeItem(at: kept)
    }

    /// What a killed restore of the establishment whose uploads are `live` left beside them, dealt with
    /// before a new restore: its staging copy is removed; the directory it had set aside is put back when
    /// the establishment has none (it was killed between the two renames), and otherwise left where it is
    /// and named (the swap was made: those are the files from before it). Directories of a process still
    /// running are not touched. Returns what was done, for the report.
    static func recoverAbandoned(live: URL) -> [String] {
        let manager = FileManager.default
        let parent = live.deletingLastPathComponent()
        let id = live.lastPathComponent
        var notes: [String] = []
        func deadProcess(_ name: String, prefix: String) -> Bool {
            guard name.hasPrefix(prefix),
                let pid = name.dropFirst(prefix.count).split(separator: "-").first.flatMap({ Int32($0) }), pid > 0,
                pid != getpid()
            else { return false }
            return kill(pid, 0) != 0 && errno == ESRCH
        }
        for name in ((try? manager.contentsOfDirectory(atPath: parent.path)) ?? []).sorted() {
            let path = parent.appendingPathComponent(name)
            if deadProcess(name, prefix: ".restore-\(id)-") {
                try? manager.removeItem(at: path)
            } else if deadProcess(name, prefix: ".restore-kept-\(id)-") {
                if !manager.fileExists(atPath: live.path), (try? manager.moveItem(at: path, to: live)) != nil {
                    notes.append(
                        "a killed restore had set the uploaded files aside (files/\(name)): they were put back in files/\(id) first"
                    )
                } else {
                    notes.append(
                        "files/\(name) holds the uploaded files of establishment \(id) from before a killed restore: compare them with files/\(id), then remove it"
                    )
                }
            }
        }
        return notes
    }
}
