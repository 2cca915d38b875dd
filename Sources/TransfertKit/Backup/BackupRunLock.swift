import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The lock that keeps two backup runs (or a run and a prune) from overlapping: `flock(2)` on
/// `.backup.lock` in the backup directory. The kernel releases it when the process ends, killed or not,
/// so a crashed run never blocks the next night. The file holds the holder's pid, for the message.
public final class BackupRunLock: @unchecked Sendable {
    public let file: URL
    private var descriptor: Int32

    private init(file: URL, descriptor: Int32) {
        self.file = file
        self.descriptor = descriptor
    }

    /// Takes the lock at once or refuses with ``BackupError/runInProgress(lockFile:holderPID:)``.
    public static func acquire(in directory: BackupDirectory) throws -> BackupRunLock {
        let file = directory.url.appendingPathComponent(BackupDirectory.lockFileName)
        let descriptor = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw BackupError.directoryUnusable(path: file.path, reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = String(cString: strerror(errno))
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(descriptor, &buffer, buffer.count, 0)
            close(descriptor)
            guard busy else { throw BackupError.directoryUnusable(path: file.path, reason: reason) }
            let text = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
            throw BackupError.runInProgress(
                lockFile: file.path, holderPID: Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        let pid = Data("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return BackupRunLock(file: file, descriptor: descriptor)
    }

    /// Releases the lock (also done when the process ends).
    public func release() {
        guard descriptor >= 0 else { return }
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
