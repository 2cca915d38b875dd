import CDeflate
import Foundation
import TransfertModel

/// One in-memory entry deflated at once with libdeflate (at a ``DeflateLevel``, 1 by default), with its CRC-32.
///
/// libdeflate compresses a whole buffer several times faster than zlib's streaming deflate at the same
/// level, and a compressor is cheap enough to make per chunk, so chunks can be deflated on any thread.
struct DeflatedChunk: Sendable {
    let bytes: Data
    let crc32: UInt32
    let uncompressedSize: Int

    init(_ data: Data, level: DeflateLevel = .standard) throws {
        guard let compressor = libdeflate_alloc_compressor(Int32(level.value)) else {
            throw DeflateError.outOfMemory
        }
        defer { libdeflate_free_compressor(compressor) }
        let (bytes, crc) = try data.withUnsafeBytes { (input: UnsafeRawBufferPointer) -> (Data, UInt32) in
            let bound = libdeflate_deflate_compress_bound(compressor, input.count)
            // Not zero-filled (unlike `Data(count:)`): the compressor writes a fifth of the bound at level 1,
            // and filling the rest first was work thrown away.
            guard let output = malloc(max(bound, 1)) else { throw DeflateError.outOfMemory }
            let written = libdeflate_deflate_compress(compressor, input.baseAddress, input.count, output, bound)
            guard written > 0 || input.isEmpty else {
                free(output)
                throw DeflateError.failed
            }
            // A right-sized copy: the bound-sized buffer would keep a whole chunk's size per chunk waiting to be written.
            let bytes = Data(bytes: output, count: written)
            free(output)
            return (bytes, UInt32(libdeflate_crc32(0, input.baseAddress, input.count)))
        }
        self.bytes = bytes
        self.crc32 = crc
        uncompressedSize = data.count
    }

    enum DeflateError: Error, CustomStringConvertible {
        case outOfMemory, failed
        var description: String {
            switch self {
            case .outOfMemory: return "cannot allocate a compressor: the machine is out of memory"
            case .failed: return "compression failed"
            }
        }
    }
}
