import Foundation
import GRDB
import TransfertFormats
import TransfertModel

extension SQLiteBackend {
    package func makeStagedEstablishment(baseID: Int64) throws -> any StagedEstablishment {
        guard let live = establishments as? SQLiteEstablishmentStore else {
            throw StagedSwapError("the SQLite backend's establishments are not SQLite files")
        }
        return try SQLiteStagedEstablishment(live: live, baseID: baseID)
    }
}

/// The staging file of a SQLite establishment: `bases/.restore-<pid>-<uuid>/base_<id>.sqlite`, in the
/// live file's directory so that the swap is one rename(2) on one file system.
///
/// The swap first hard-links the live file into the staging directory (the old content stays reachable
/// without a copy), then renames the staging file over the live one: at every instant the live path holds
/// one whole database, the old or the new.
final class SQLiteStagedEstablishment: StagedEstablishment {
    let live: SQLiteEstablishmentStore
    let baseID: Int64
    let directory: URL
    let staging: SQLiteEstablishmentStore

    init(live: SQLiteEstablishmentStore, baseID: Int64) throws {
        self.live = live
        self.baseID = baseID
        try FileManager.default.createDirectory(
            at: live.directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // A leading dot: `databaseIDs()` and `doctor` never take it for an establishment.
        directory = try WorkDirectory.create(prefix: ".restore", parent: live.directory)
        staging = SQLiteEstablishmentStore(directory: directory)
    }

    var store: any EstablishmentStore { staging }
    var location: String { "\(live.directory.lastPathComponent)/\(directory.lastPathComponent)/base_\(baseID).sqlite" }

    /// The live file kept aside after the swap.
    private var keptPath: String { directory.appendingPathComponent("kept_base_\(baseID).sqlite").path }

    func swapIntoPlace() throws {
        let livePath = live.databasePath(baseID: baseID)
        let stagedPath = staging.databasePath(baseID: baseID)
        // A live database in WAL mode has committed pages in its -wal: fold them into the file first, so
        // that the file kept aside is the whole old database and no -wal is left to be read with the new one.
        if FileManager.default.fileExists(atPath: livePath + "-wal") {
            let queue = try DatabaseQueue(path: livePath)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            try queue.close()
        }
        for suffix in ["-journal", "-wal", "-shm"] where FileManager.default.fileExists(atPath: stagedPath + suffix) {
            throw StagedSwapError(
                "the staging database \(location) still has its \(suffix) file: a connection to it is open; nothing was swapped"
            )
        }
        try? FileManager.default.removeItem(atPath: keptPath)
        guard link(livePath, keptPath) == 0 else {
            throw StagedSwapError(
                "the live database \(live.location(baseID: baseID)) could not be kept aside (link: \(String(cString: strerror(errno)))); nothing was swapped"
            )
        }
        guard rename(stagedPath, livePath) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: keptPath)
            throw StagedSwapError(
                "the restored database could not be renamed over \(live.location(baseID: baseID)) (\(reason)); nothing was swapped"
            )
        }
        // The old database's -wal and -shm (empty after the checkpoint) belong to the old file.
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: livePath + suffix) }
        Self.syncDirectory(live.directory)
    }

    func undoSwap() throws {
        let livePath = live.databasePath(baseID: baseID)
        guard rename(keptPath, livePath) == 0 else {
            throw StagedSwapError(
                "the former database of establishment \(baseID) could not be put back (\(String(cString: strerror(errno)))): it is at \(keptPath); move it to \(livePath) by hand"
            )
        }
        Self.syncDirectory(live.directory)
    }

    func discard() {
        WorkDirectory.remove(directory)
    }

    /// Makes a rename durable: the directory entry is written.
    static func syncDirectory(_ directory: URL) {
        let descriptor = open(directory.path, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}
