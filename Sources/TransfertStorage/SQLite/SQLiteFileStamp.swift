import Foundation
import TransfertFormats
import TransfertModel

/// The change stamp of an SQLite database, read from its files without opening them through SQLite.
///
/// A commit changes, in rollback-journal mode, the main file's *file change counter* (header offset 24,
/// incremented by every writing transaction) and its mtime and ctime; in WAL mode the commit appends
/// frames to `-wal` (its size grows) or, after a checkpoint, rewrites it from the start with new salts
/// (its 32-byte header changes), and a checkpoint rewrites pages of the main file. The stamp is all of
/// these: inode, size, mtime with nanoseconds of the main file and of `-wal`, the main file's ctime, the
/// main header's counters and the WAL header (not `-wal`'s ctime: SQLite run as root `fchown`s it on
/// every open, a read included). Reading never changes them (a read-only open writes nothing; `-shm`,
/// which readers may touch, is left out).
///
/// File times come from a coarse kernel clock (a few milliseconds): a write in the same tick as an
/// earlier write leaves mtime unchanged. The counter covers that in rollback mode; in every mode, a time
/// within ``FileStatus/racyWindow`` of the observation makes the stamp unsettled (git's "racily clean" rule), and
/// so does a hot rollback journal (a transaction in progress or interrupted).
package enum SQLiteFileStamp {
    package static func read(path: String, baseID: Int64, now: Date = Date()) throws -> DatabaseChangeStamp {
        guard let main = FileStatus(path: path) else {
            throw EstablishmentStoreError.missing(baseID: baseID, path: path)
        }
        var settled = !main.isRecent(now: now)
        var parts = ["db \(main)", "header \(headerHex(path: path, ranges: [24..<28, 28..<32, 40..<44, 92..<100]))"]
        if let wal = FileStatus(path: path + "-wal") {
            settled = settled && !wal.isRecent(now: now, ctime: false)
            parts.append(
                "wal \(wal.described(ctime: false)) header \(headerHex(path: path + "-wal", ranges: [0..<32]))")
        } else {
            parts.append("wal none")
        }
        if let journal = FileStatus(path: path + "-journal") {
            // A non-empty rollback journal: a transaction is being written or was interrupted.
            if journal.size > 0 { settled = false }
            parts.append("journal \(journal.described(ctime: false))")
        }
        return DatabaseChangeStamp(observed: parts.joined(separator: "; "), settled: settled)
    }

    /// The bytes of `ranges` at the start of the file, in hexadecimal ("-" past its end).
    static func headerHex(path: String, ranges: [Range<Int>]) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "unreadable" }
        defer { try? handle.close() }
        let bytes = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
        return ranges.map { range in
            range.upperBound <= bytes.count ? bytes[range].map { String(format: "%02x", $0) }.joined() : "-"
        }.joined(separator: ".")
    }
}
