import CZlibInflate
import Foundation
import TransfertModel

/// Inflates one entry's data — exactly its byte range, read in 64 KiB pieces — through zlib's raw
/// inflate, and measures what the declared sizes only claim:
///
/// - the output never exceeds the declared size (a bomb stops at the first byte too many);
/// - past ``ratioFloor`` bytes of output, the output may not exceed ``maximumRatio`` times the
///   compressed bytes the inflater actually consumed — sizes that lie in both headers cannot hide a
///   bomb behind a harmless-looking declared ratio;
/// - the deflate stream must end exactly at the end of the declared compressed data: neither
///   truncated, nor followed by bytes it does not use.
///
/// The caller checks the output size against the declared size, and the CRC-32 this returns against the
/// directory's. Memory is two 64 KiB buffers and zlib's 32 KiB window, whatever the entry's size.
struct ZIPEntryInflater {
    let file: ZIPFileReader
    let entry: ZIPEntry
    var maximumRatio: UInt64
    var ratioFloor: UInt64

    static let pieceSize = 64 * 1024

    struct Result {
        var size: UInt64
        var crc32: UInt32
        /// The compressed bytes read (all of the declared ones, or the inflater would have refused).
        var consumed: UInt64
    }

    /// Reads the entry, handing each piece of output to `body`. Damage is thrown as
    /// ``BundleReadError/damagedEntry(_:reason:)``; what `body` throws goes on as it is.
    func inflate(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Result {
        switch entry.method {
        case ZIPEntry.stored: return try copyStored(body)
        case ZIPEntry.deflate: return try inflateDeflated(body)
        default:
            throw damaged(
                "it is compressed with method \(entry.method); Transfert reads only stored (0) and deflated (8) entries"
            )
        }
    }

    private func damaged(_ reason: String) -> BundleReadError {
        .damagedEntry(entry.path, reason: reason)
    }

    private func checkGrowth(produced: UInt64, consumed: UInt64) throws {
        guard produced <= entry.uncompressedSize else {
            throw damaged(
                "it inflates beyond its declared \(entry.uncompressedSize) bytes (a zip bomb or a damaged archive)")
        }
        let (limit, overflow) = max(consumed, 1).multipliedReportingOverflow(by: maximumRatio)
        if produced > ratioFloor, !overflow, produced > limit {
            throw damaged(
                "it inflates more than \(maximumRatio) times the \(consumed) compressed bytes read so far (\(produced) bytes out): a possible zip bomb whose declared sizes lie"
            )
        }
    }

    private func copyStored(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Result {
        let buffer = UnsafeMutablePointer<Bytef>.allocate(capacity: Self.pieceSize)
        defer { buffer.deallocate() }
        var crc: UInt = CZlibInflate.crc32(0, nil, 0)
        var done: UInt64 = 0
        while done < entry.compressedSize {
            let count = Int(min(UInt64(Self.pieceSize), entry.compressedSize - done))
            do {
                try file.read(
                    into: UnsafeMutableRawBufferPointer(start: buffer, count: count), at: entry.dataOffset + done,
                    what: "the data of entry '\(entry.path)'")
            } catch { throw damaged(error.reason) }
            done += UInt64(count)
            try checkGrowth(produced: done, consumed: done)
            crc = CZlibInflate.crc32(crc, buffer, uInt(count))
            try body(UnsafeRawBufferPointer(start: buffer, count: count))
        }
        return Result(size: done, crc32: UInt32(truncatingIfNeeded: crc), consumed: done)
    }

    private func inflateDeflated(_ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Result {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw damaged("zlib could not start (out of memory?)")
        }
        defer { inflateEnd(&stream) }
        let input = UnsafeMutablePointer<Bytef>.allocate(capacity: Self.pieceSize)
        let output = UnsafeMutablePointer<Bytef>.allocate(capacity: Self.pieceSize)
        defer {
            input.deallocate()
            output.deallocate()
        }
        var read: UInt64 = 0  // compressed bytes read from the file
        var produced: UInt64 = 0
        var crc: UInt = CZlibInflate.crc32(0, nil, 0)
        var ended = false
        while !ended {
            if stream.avail_in == 0 && read < entry.compressedSize {
                let count = Int(min(UInt64(Self.pieceSize), entry.compressedSize - read))
                do {
                    try file.read(
                        into: UnsafeMutableRawBufferPointer(start: input, count: count), at: entry.dataOffset + read,
                        what: "the data of entry '\(entry.path)'")
                } catch { throw damaged(error.reason) }
                read += UInt64(count)
                stream.next_in = input
                stream.avail_in = uInt(count)
            }
            stream.next_out = output
            stream.avail_out = uInt(Self.pieceSize)
            let status = CZlibInflate.inflate(&stream, Z_NO_FLUSH)
            let count = Self.pieceSize - Int(stream.avail_out)
            let consumed = read - UInt64(stream.avail_in)
            if count > 0 {
                produced += UInt64(count)
                try checkGrowth(produced: produced, consumed: consumed)
                crc = CZlibInflate.crc32(crc, output, uInt(count))
                try body(UnsafeRawBufferPointer(start: output, count: count))
            }
            switch status {
            case Z_STREAM_END:
                ended = true
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.avail_in == 0 && read == entry.compressedSize:
                throw damaged(
                    "its deflate data stops before its end mark: the ZIP is truncated or its compressed size lies")
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw damaged("it cannot be inflated (\(message)); the ZIP is damaged")
            }
        }
        let unused = entry.compressedSize - (read - UInt64(stream.avail_in))
        guard unused == 0 else {
            throw damaged(
                "its deflate data ends \(unused) bytes before its declared compressed size (\(entry.compressedSize)): the sizes lie"
            )
        }
        return Result(size: produced, crc32: UInt32(truncatingIfNeeded: crc), consumed: entry.compressedSize)
    }
}
