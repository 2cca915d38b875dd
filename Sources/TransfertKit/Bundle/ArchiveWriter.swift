import Crypto
import Foundation
import ZIPFoundation

/// Writes ZIP entries on a thread of its own, so that deflating one chunk overlaps with formatting the
/// next (the export uses both cores). At most `capacity` entries wait in memory: the producer blocks
/// beyond that, which is what keeps memory flat whatever the size of the database.
final class ArchiveWriter: @unchecked Sendable {
    /// Set to nil by ``close()``: ZIPFoundation closes (and flushes) its file when the archive is released.
    private var archive: Archive?
    private let queue = DispatchQueue(label: "transfert.archive-writer")
    private let slots: DispatchSemaphore
    private let lock = NSLock()
    private var failure: (any Error)?
    private var fileRecords: [String: BundleManifest.Entry] = [:]

    /// File extensions whose content is already compressed: stored, not deflated again.
    private static let storedExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "webp", "pdf", "zip", "gz", "bz2",
                                                        "xz", "7z", "mp3", "mp4", "mov", "odt", "ods", "docx", "xlsx", "pptx"]
    private static let bufferSize = 256 * 1024

    init(url: URL, capacity: Int = 2) throws {
        archive = try Archive(url: url, accessMode: .create)
        slots = DispatchSemaphore(value: capacity)
    }

    /// The first error the writer met, if any: the producer checks it to stop early.
    var error: (any Error)? { lock.withLock { failure } }

    /// Queues an in-memory entry (an SQL chunk, the manifest), deflated.
    func add(path: String, data: Data) throws {
        try enqueue {
            try self.openArchive().addEntry(with: path, type: .file, uncompressedSize: Int64(data.count),
                                      compressionMethod: .deflate, bufferSize: Self.bufferSize) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
    }

    /// Queues a file from disk; its size and SHA-256 are recorded while it is read (see ``fileRecord(path:)``).
    func add(path: String, file: URL, size: Int64) throws {
        try enqueue {
            let handle = try FileHandle(forReadingFrom: file)
            defer { try? handle.close() }
            var hasher = SHA256()
            var read: Int64 = 0
            let stored = Self.storedExtensions.contains(file.pathExtension.lowercased())
            try self.openArchive().addEntry(with: path, type: .file, uncompressedSize: size,
                                      compressionMethod: stored ? .none : .deflate, bufferSize: Self.bufferSize) { _, wanted in
                let data = try handle.read(upToCount: wanted) ?? Data()
                guard data.count == wanted else { throw BundleError.fileChanged(file.path) }
                hasher.update(data: data)
                read += Int64(data.count)
                return data
            }
            let record = BundleManifest.Entry(path: path, size: read, sha256: hasher.finalize().hexString)
            self.lock.withLock { self.fileRecords[path] = record }
        }
    }

    /// Waits until every queued entry is written, then reports the first error.
    func drain() throws {
        queue.sync {}
        if let error { throw error }
    }

    /// Writes the central directory and closes the file.
    func close() throws {
        try drain()
        // ZIPFoundation keeps the central directory up to date after each entry; releasing the
        // archive flushes and closes its file.
        queue.sync { archive = nil }
    }

    private func openArchive() throws -> Archive {
        guard let archive else { throw CocoaError(.fileWriteUnknown) }
        return archive
    }

    func fileRecord(path: String) -> BundleManifest.Entry? { lock.withLock { fileRecords[path] } }

    private func enqueue(_ job: @escaping @Sendable () throws -> Void) throws {
        if let error { throw error }
        slots.wait()
        queue.async {
            defer { self.slots.signal() }
            guard self.error == nil else { return }
            do { try job() } catch { self.lock.withLock { if self.failure == nil { self.failure = error } } }
        }
    }
}
