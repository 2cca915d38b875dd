import Foundation
import TransfertModel

/// Writes a ZIP file front to back (PKWARE APPNOTE 6.3): each entry's local header and data, then the
/// central directory, with ZIP64 records wherever a size, an offset or the entry count needs them.
///
/// Bundles are *read* by our own strict reader (``ZIPCentralDirectory``, ``ZIPEntryInflater``), which
/// must read every ZIP this writes. They are written here because ZIPFoundation deflates each
/// entry itself, one at a time, at a fixed level: it cannot take data that is already deflated, so the
/// export could not deflate its chunks on several cores, which is what lets it keep up with
/// `sqlite3 .dump | gzip`. Entry names are UTF-8 (flag bit 11), files are `-rw-------`.
///
/// ```swift
/// let zip = try ZIPFileWriter(url: url)
/// let chunk = try DeflatedChunk(data)
/// try zip.add(path: "base_12/000001.sql", method: .deflate, crc32: chunk.crc32,
///             uncompressedSize: UInt64(data.count), data: chunk.bytes)
/// try zip.finish()
/// ```
final class ZIPFileWriter {
    enum Method: UInt16 {
        case stored = 0
        case deflate = 8
    }

    private struct Entry {
        var name: [UInt8]
        var method: Method
        var crc32: UInt32 = 0
        var compressedSize: UInt64 = 0
        var uncompressedSize: UInt64 = 0
        var offset: UInt64
        /// The local header carries a ZIP64 extra field (decided before the data is known).
        var localZIP64: Bool
    }

    private let handle: FileHandle
    /// Where the file is written, for messages (its own name is a temporary one).
    private let directory: String
    private var offset: UInt64 = 0
    private var entries: [Entry] = []
    private let dosTime: UInt16
    private let dosDate: UInt16
    private var finished = false

    private static let max32 = UInt64(UInt32.max)

    /// Creates the file, owner-only (it holds personal data).
    init(url: URL, date: Date = Date()) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
        directory = url.deletingLastPathComponent().path
        let parts = Calendar(identifier: .gregorian).dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: date)
        dosTime = UInt16((parts.hour ?? 0) << 11 | (parts.minute ?? 0) << 5 | (parts.second ?? 0) / 2)
        dosDate = UInt16((max(1980, parts.year ?? 1980) - 1980) << 9 | (parts.month ?? 1) << 5 | (parts.day ?? 1))
    }

    deinit { try? handle.close() }

    /// Adds an entry whose bytes are already in their final (`method`) form.
    func add(path: String, method: Method, crc32: UInt32, uncompressedSize: UInt64, data: some DataProtocol) throws {
        let entry = Entry(
            name: Array(path.utf8), method: method, crc32: crc32, compressedSize: UInt64(data.count),
            uncompressedSize: uncompressedSize, offset: offset,
            localZIP64: uncompressedSize >= Self.max32 || UInt64(data.count) >= Self.max32)
        try write(localHeader(entry))
        try write(data)
        entries.append(entry)
    }

    /// Adds an entry whose data `body` streams through the closure it is given, returning the CRC-32 and
    /// size of the uncompressed data; the local header is completed afterwards. `expectedSize` (the
    /// uncompressed size, known from the file system) decides whether the entry needs ZIP64 fields.
    func addStreamed(
        path: String, method: Method, expectedSize: UInt64,
        _ body: (_ write: (Data) throws -> Void) throws -> (crc32: UInt32, size: UInt64)
    ) throws {
        // Deflate can grow incompressible data a little: leave room before 4 GiB.
        var entry = Entry(
            name: Array(path.utf8), method: method, offset: offset, localZIP64: expectedSize >= Self.max32 / 2)
        try write(localHeader(entry))
        let dataStart = offset
        let result = try body { try self.write($0) }
        entry.crc32 = result.crc32
        entry.uncompressedSize = result.size
        entry.compressedSize = offset - dataStart
        if !entry.localZIP64 && (entry.compressedSize >= Self.max32 || entry.uncompressedSize >= Self.max32) {
            throw CocoaError(
                .fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(path) grew past 4 GiB while it was written"]
            )
        }
        // Complete the header, then go back to the end.
        try handle.seek(toOffset: entry.offset)
        try handle.write(contentsOf: localHeader(entry))
        try handle.seek(toOffset: offset)
        entries.append(entry)
    }

    /// Writes the central directory and the end records, and closes the file.
    func finish() throws {
        guard !finished else { return }
        finished = true
        let directoryStart = offset
        for entry in entries { try write(centralHeader(entry)) }
        let directorySize = offset - directoryStart
        let count = UInt64(entries.count)
        if count >= 0xFFFF || directoryStart >= Self.max32 || directorySize >= Self.max32 {
            let recordOffset = offset
            var record = ByteWriter()
            record.u32(0x0606_4B50)
            record.u64(44)  // size of the rest of this record
            record.u16(0x032D)  // made by: Unix, 4.5
            record.u16(45)  // needed: 4.5 (ZIP64)
            record.u32(0)
            record.u32(0)
            record.u64(count)
            record.u64(count)
            record.u64(directorySize)
            record.u64(directoryStart)
            record.u32(0x0706_4B50)  // locator
            record.u32(0)
            record.u64(recordOffset)
            record.u32(1)
            try write(record.bytes)
        }
        var end = ByteWriter()
        end.u32(0x0605_4B50)
        end.u16(0)
        end.u16(0)
        end.u16(UInt16(min(count, 0xFFFF)))
        end.u16(UInt16(min(count, 0xFFFF)))
        end.u32(UInt32(min(directorySize, Self.max32)))
        end.u32(UInt32(min(directoryStart, Self.max32)))
        end.u16(0)  // no comment
        try write(end.bytes)
        try handle.close()
    }

    private func write(_ data: some DataProtocol) throws {
        do {
            try handle.write(contentsOf: data)
        } catch {
            throw BundleError.cannotWrite("the bundle in \(directory)", reason: BundleError.reason(error))
        }
        offset += UInt64(data.count)
    }

    private func localHeader(_ entry: Entry) -> [UInt8] {
        var header = ByteWriter()
        header.u32(0x0403_4B50)
        header.u16(entry.localZIP64 ? 45 : 20)
        header.u16(0x0800)  // names in UTF-8
        header.u16(entry.method.rawValue)
        header.u16(dosTime)
        header.u16(dosDate)
        header.u32(entry.crc32)
        header.u32(entry.localZIP64 ? UInt32.max : UInt32(entry.compressedSize))
        header.u32(entry.localZIP64 ? UInt32.max : UInt32(entry.uncompressedSize))
        header.u16(UInt16(entry.name.count))
        header.u16(entry.localZIP64 ? 20 : 0)
        header.bytes += entry.name
        if entry.localZIP64 {
            header.u16(0x0001)
            header.u16(16)
            header.u64(entry.uncompressedSize)
            header.u64(entry.compressedSize)
        }
        return header.bytes
    }

    private func centralHeader(_ entry: Entry) -> [UInt8] {
        // ZIP64 fields, in the order APPNOTE 4.5.3 gives, for the values that do not fit.
        var extra = ByteWriter()
        if entry.uncompressedSize >= Self.max32 { extra.u64(entry.uncompressedSize) }
        if entry.compressedSize >= Self.max32 { extra.u64(entry.compressedSize) }
        if entry.offset >= Self.max32 { extra.u64(entry.offset) }
        let zip64 = !extra.bytes.isEmpty
        var header = ByteWriter()
        header.u32(0x0201_4B50)
        header.u16(0x032D)  // made by: Unix, 4.5
        header.u16(zip64 || entry.localZIP64 ? 45 : 20)
        header.u16(0x0800)
        header.u16(entry.method.rawValue)
        header.u16(dosTime)
        header.u16(dosDate)
        header.u32(entry.crc32)
        header.u32(UInt32(min(entry.compressedSize, Self.max32)))
        header.u32(UInt32(min(entry.uncompressedSize, Self.max32)))
        header.u16(UInt16(entry.name.count))
        header.u16(zip64 ? UInt16(4 + extra.bytes.count) : 0)
        header.u16(0)  // no comment
        header.u16(0)  // disk
        header.u16(0)  // internal attributes
        header.u32(UInt32(0o100600) << 16)  // a regular file, -rw-------
        header.u32(UInt32(min(entry.offset, Self.max32)))
        header.bytes += entry.name
        if zip64 {
            header.u16(0x0001)
            header.u16(UInt16(extra.bytes.count))
            header.bytes += extra.bytes
        }
        return header.bytes
    }
}

/// Little-endian fields, as ZIP wants them.
private struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func u16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    mutating func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
}
