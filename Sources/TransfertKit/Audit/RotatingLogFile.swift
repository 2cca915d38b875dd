import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// An append-only file of lines, owner-only, rotated by size: `transfert.log`, then `transfert.log.1` …
/// `.N` (the oldest dropped). Several processes may append at once: each line is written with one
/// `write` on an `O_APPEND` descriptor, under an exclusive `flock` that rotation takes too, so lines never
/// interleave and none is lost to a rotation.
public final class RotatingLogFile: @unchecked Sendable {
    public let url: URL
    public let maximumBytes: Int
    public let keptFiles: Int
    private let lock = NSLock()

    public init(url: URL, maximumBytes: Int = 10 * 1024 * 1024, keptFiles: Int = 5) {
        self.url = url
        self.maximumBytes = maximumBytes
        self.keptFiles = keptFiles
    }

    /// Appends `line` (a newline is added), rotating first when the file would grow past the limit.
    public func append(_ line: String) throws {
        try lock.withLock {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            let data = Data((line + "\n").utf8)
            var descriptor = try open()
            defer { Foundation.close(descriptor) }
            while true {
                guard flock(descriptor, LOCK_EX) == 0 else { throw Self.failure("cannot be locked") }
                var status = stat()
                guard fstat(descriptor, &status) == 0 else { throw Self.failure("cannot be read") }
                let rotatedMeanwhile = !Self.sameFile(status, url)
                let full =
                    !rotatedMeanwhile && Int(status.st_size) > 0 && Int(status.st_size) + data.count > maximumBytes
                guard rotatedMeanwhile || full else { break }
                // Rotated by another process since we opened it, or full: (rotate and) write to the new file.
                if full { rotate() }
                Foundation.close(descriptor)
                descriptor = try open()
            }
            let written = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            guard written == data.count else {
                throw Self.failure("cannot be written (\(String(cString: strerror(errno))))")
            }
        }
    }

    private func open() throws -> Int32 {
        let descriptor = Foundation.open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Self.failure("cannot be opened (\(String(cString: strerror(errno))))") }
        return descriptor
    }

    /// `.N-1` → `.N`, …, the file → `.1`. Called with the file locked; a concurrent writer that opened the
    /// old file sees it renamed (``sameFile``) and reopens.
    private func rotate() {
        let manager = FileManager.default
        try? manager.removeItem(atPath: url.path + ".\(keptFiles)")
        if keptFiles > 1 {
            for index in stride(from: keptFiles - 1, through: 1, by: -1) {
                try? manager.moveItem(atPath: url.path + ".\(index)", toPath: url.path + ".\(index + 1)")
            }
        }
        try? manager.moveItem(atPath: url.path, toPath: url.path + ".1")
    }

    private static func sameFile(_ status: stat, _ url: URL) -> Bool {
        var current = stat()
        return stat(url.path, &current) == 0 && current.st_ino == status.st_ino && current.st_dev == status.st_dev
    }

    private static func failure(_ reason: String) -> CocoaError {
        CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: reason])
    }
}
