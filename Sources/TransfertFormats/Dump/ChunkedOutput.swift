import Crypto
import Foundation
import TransfertModel

/// Accumulates SQL text and hands out numbered chunks at statement boundaries, with each chunk's
/// SHA-256 and the SHA-256 of them all.
struct ChunkedOutput {
    let directory: String
    let chunkSize: Int
    var buffer: [UInt8] = []
    var number = 0
    var totalBytes: Int64 = 0
    var dumpHasher = SHA256()

    init(directory: String, chunkSize: Int) {
        self.directory = directory
        self.chunkSize = chunkSize
        buffer.reserveCapacity(chunkSize + 1024 * 1024)
    }

    mutating func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    /// Called after a complete statement: emits a chunk when the buffer is full enough.
    mutating func closeStatement(_ emit: (DumpChunk) throws -> Void) throws {
        if buffer.count >= chunkSize { try flush(emit) }
    }

    mutating func finish(_ emit: (DumpChunk) throws -> Void) throws {
        if !buffer.isEmpty || number == 0 { try flush(emit) }
    }

    mutating func finalizeDigest() -> String { dumpHasher.finalize().hexString }

    private mutating func flush(_ emit: (DumpChunk) throws -> Void) throws {
        number += 1
        let data = Data(buffer)
        buffer.removeAll(keepingCapacity: true)
        dumpHasher.update(data: data)
        totalBytes += Int64(data.count)
        try emit(
            DumpChunk(
                path: "\(directory)/\(String(format: "%06d", number)).sql", bytes: data,
                sha256: SHA256.hash(data: data).hexString))
    }
}
