import Foundation
import TransfertModel

/// Files and directories that appear whole or not at all: written under a hidden name beside their final
/// name (`.<name>.partial-<pid>`, so a later run can tell a dead process's leftovers), owner-only,
/// flushed to disk, renamed, and the directory flushed too, so that neither a reader nor a crash ever
/// sees half of one. Every file Transfert writes for others to read goes through here.
///
/// ```swift
/// try AtomicFile.write(Data(yaml.utf8), to: configurationURL)
/// ```
package enum AtomicFile {
    /// Writes `data` to `url` atomically, mode 0600.
    package static func write(_ data: Data, to url: URL) throws(AtomicFileError) {
        let partial = partialURL(for: url)
        do {
            try writeAndSynchronize(data, to: partial)
            try commit(partial, as: url, flushed: true)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }

    /// Creates (or truncates) `url` owner-only, writes `data` and flushes it to disk.
    package static func writeAndSynchronize(_ data: Data, to url: URL) throws(AtomicFileError) {
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else {
            throw AtomicFileError(path: url.path, reason: String(cString: strerror(errno)))
        }
        do {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            throw AtomicFileError(path: url.path, reason: (error as NSError).localizedDescription)
        }
    }

    /// The hidden name a file or directory is written under before ``commit(_:as:)``.
    package static func partialURL(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
    }

    /// Makes a complete partial file (or directory) visible under its final name: owner-only, flushed,
    /// renamed, and the rename itself flushed. `flushed`: the file was flushed already (by
    /// ``writeAndSynchronize(_:to:)``), so it is not flushed a second time.
    package static func commit(_ partial: URL, as final: URL, flushed: Bool = false) throws(AtomicFileError) {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: partial.path, isDirectory: &isDirectory)
        try? FileManager.default.setAttributes(
            [.posixPermissions: isDirectory.boolValue ? 0o700 : 0o600], ofItemAtPath: partial.path)
        if !isDirectory.boolValue && !flushed {
            let descriptor = open(partial.path, O_RDONLY)
            if descriptor >= 0 {
                fsync(descriptor)
                close(descriptor)
            }
        }
        guard rename(partial.path, final.path) == 0 else {
            throw AtomicFileError(path: final.path, reason: String(cString: strerror(errno)))
        }
        synchronizeDirectory(final.deletingLastPathComponent())
    }

    /// Makes the entries of `directory` durable (a rename is data of the directory).
    static func synchronizeDirectory(_ directory: URL) {
        let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY)
        if descriptor >= 0 {
            fsync(descriptor)
            close(descriptor)
        }
    }
}

/// A file that could not be written, with the system's reason.
package struct AtomicFileError: Error, Equatable, Sendable, CustomStringConvertible {
    var path: String
    package var reason: String
    package var description: String { "cannot write \(path): \(reason)" }
}

extension AtomicFileError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    package var problemCode: ProblemCode { .fileUnwritable }
}
