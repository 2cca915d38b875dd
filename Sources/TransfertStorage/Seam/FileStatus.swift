import Foundation

/// `lstat` of one file: what a write changes.
package struct FileStatus: CustomStringConvertible, Sendable {
    /// Seconds within which a file time is too close to an observation to prove anything: file times come
    /// from a coarse kernel clock, so a second write in the same tick leaves them as the first one did.
    package static let racyWindow: TimeInterval = 2

    package var inode: UInt64
    package var size: Int64
    package var mtime: timespec
    package var ctime: timespec
    /// `d` directory, `f` regular file, `l` symbolic link, `o` anything else.
    package var kind: String

    package init?(path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        mtime = info.st_mtim
        ctime = info.st_ctim
        switch info.st_mode & S_IFMT {
        case S_IFDIR: kind = "d"
        case S_IFREG: kind = "f"
        case S_IFLNK: kind = "l"
        default: kind = "o"
        }
    }

    /// Whether mtime or ctime is within the racy window of `now`, or after it (a clock set back).
    package func isRecent(now: Date, window: TimeInterval = FileStatus.racyWindow, ctime useCTime: Bool = true) -> Bool
    {
        let limit = now.timeIntervalSince1970 - window
        return Self.seconds(mtime) >= limit || (useCTime && Self.seconds(ctime) >= limit)
    }

    static func seconds(_ time: timespec) -> Double { Double(time.tv_sec) + Double(time.tv_nsec) / 1e9 }

    package var description: String { described(ctime: true) }

    /// Without ctime for files whose metadata readers touch (SQLite, run as root, `fchown`s `-wal` and
    /// `-journal` to the database's owner on every open, which moves their ctime).
    package func described(ctime useCTime: Bool) -> String {
        "ino=\(inode) size=\(size) mtime=\(mtime.tv_sec).\(mtime.tv_nsec)"
            + (useCTime ? " ctime=\(ctime.tv_sec).\(ctime.tv_nsec)" : "")
    }
}
