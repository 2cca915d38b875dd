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
}
