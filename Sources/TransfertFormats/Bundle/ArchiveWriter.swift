import Crypto
import Foundation
import Synchronization
import TransfertModel
import ZIPFoundation

/// Writes the bundle's ZIP on a thread of its own, so that deflating one chunk overlaps with formatting
/// the next (the export uses both cores). SQL chunks are deflated with libdeflate, which keeps this thread
/// well ahead of the formatting one; files are streamed from disk. At most `capacity` entries wait in
/// memory: the producer blocks beyond that, which is what keeps memory flat whatever the size of the
/// database.
package final class ArchiveWriter: @unchecked Sendable {
    /// Set to nil by ``close()``. Used by the writer thread only, or by ``close()`` once it is idle.
    private var zip: ZIPFileWriter?
    /// Entries waiting for the writer thread, `capacity` at most (see ``BoundedQueue``).
    private let jobs: BoundedQueue<@Sendable () throws -> Void>
    private let state = WriterState()

    /// File extensions whose content is already compressed: stored, not deflated again.
    private static let storedExtensions: Set<String> = [
        "png", "jpg", "jpeg", "gif", "webp", "pdf", "zip", "gz", "bz2",
        "xz", "7z", "mp3", "mp4", "mov", "odt", "ods", "docx", "xlsx", "pptx",
    ]
    private static let bufferSize = 256 * 1024

    /// How in-memory entries are deflated (files from disk go through zlib's streaming deflate).
    private let level: DeflateLevel

    /// `capacity`: entries waiting or being written (each is one ~1 MiB chunk in memory).
    package init(url: URL, capacity: Int = 2, level: DeflateLevel = .standard) throws {
        zip = try ZIPFileWriter(url: url)
        self.level = level
        let jobs = BoundedQueue<@Sendable () throws -> Void>(capacity: capacity)
        self.jobs = jobs
        // The thread holds the queue and the state, not the writer: a writer dropped after a failure
        // closes the queue in `deinit`, and the thread ends.
        let thread = Thread { [state] in
            while let job = jobs.take() {
                if state.failure == nil {
                    do { try job() } catch { state.fail(error) }
                }
                jobs.finished()
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit { jobs.close() }

    /// The first error the writer met, if any: the producer checks it to stop early.
    var error: (any Error)? { state.failure }

    /// Queues an in-memory entry (an SQL chunk, the manifest), deflated and written on the writer's thread.
    package func add(path: String, data: Data) throws {
        try enqueue {
            let chunk = try DeflatedChunk(data, level: self.level)
            try self.openZIP().add(
                path: path, method: .deflate, crc32: chunk.crc32,
                uncompressedSize: UInt64(chunk.uncompressedSize), data: chunk.bytes)
        }
    }

    /// Queues a file from disk; its size and SHA-256 are recorded while it is read (see ``fileRecord(path:)``).
    package func add(path: String, file: URL, size: Int64) throws {
        try enqueue {
            let handle = try FileHandle(forReadingFrom: file)
            defer { try? handle.close() }
            var hasher = SHA256()
            var read: Int64 = 0
            let stored = Self.storedExtensions.contains(file.pathExtension.lowercased())
            try self.openZIP().addStreamed(path: path, method: stored ? .stored : .deflate, expectedSize: UInt64(size))
            { write in
                // Read exactly the size recorded when the export listed the file: a file that changes
                // under the export is an error, not a silently different copy.
                let provider: Provider = { _, wanted in
                    let data = try handle.read(upToCount: wanted) ?? Data()
                    guard data.count == wanted else { throw BundleError.fileChanged(file.path) }
                    hasher.update(data: data)
                    read += Int64(data.count)
                    return data
                }
                let crc: CRC32
                if stored {
                    var checksum = CRC32(0)
                    var position: Int64 = 0
                    while position < size {
                        let data = try provider(position, Int(min(Int64(Self.bufferSize), size - position)))
                        checksum = data.crc32(checksum: checksum)
                        try write(data)
                        position += Int64(data.count)
                    }
                    crc = checksum
                } else {
                    crc = try Data.compress(
                        size: size, bufferSize: Self.bufferSize, provider: provider, consumer: write)
                }
                if try handle.read(upToCount: 1)?.isEmpty == false { throw BundleError.fileChanged(file.path) }
                return (crc, UInt64(read))
            }
            self.state.record(BundleManifest.Entry(path: path, size: read, sha256: hasher.finalize().hexString))
        }
    }

    /// Waits until every queued entry is written, then reports the first error.
    package func drain() throws {
        jobs.waitUntilIdle()
        if let error { throw error }
    }

    /// Writes the central directory and closes the file; the writer thread ends.
    package func close() throws {
        try drain()
        // The writer thread is idle (waiting in `take`): the ZIP is this thread's until the end.
        try zip?.finish()
        zip = nil
        jobs.close()
    }

    private func openZIP() throws -> ZIPFileWriter {
        guard let zip else { throw CocoaError(.fileWriteUnknown) }
        return zip
    }

    package func fileRecord(path: String) -> BundleManifest.Entry? { state.fileRecords[path] }

    /// Queues `job` for the writer thread (waiting while `capacity` entries are in flight); jobs run in
    /// call order.
    private func enqueue(_ job: @escaping @Sendable () throws -> Void) throws {
        if let error { throw error }
        guard jobs.put(job) else { throw error ?? CocoaError(.fileWriteUnknown) }
    }
}

/// What the writer thread reports: its first error and the files' records.
private final class WriterState: Sendable {
    private let state = Mutex<(firstError: (any Error)?, records: [String: BundleManifest.Entry])>((nil, [:]))

    var failure: (any Error)? { state.withLock { $0.firstError } }
    var fileRecords: [String: BundleManifest.Entry] { state.withLock { $0.records } }
    func fail(_ error: any Error) { state.withLock { if $0.firstError == nil { $0.firstError = error } } }
    func record(_ entry: BundleManifest.Entry) { state.withLock { $0.records[entry.path] = entry } }
}
