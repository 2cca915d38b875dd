import Crypto
import Foundation
import TransfertModel

/// A SHA-256 digest of a table's *values*, independent of how they were written as SQL.
///
/// Two tables with the same columns and the same rows in primary-key order have the same digest,
/// whichever backend holds them and whichever dump produced them: that is how verify and import prove a
/// restored table equals its source. The canonical encoding is specified in `Docs/archive-format.md`:
///
/// - the column names, each as a text value, then a `0x1E` separator byte;
/// - then every row, each value as one tag byte followed by its payload:
///   `0x00` NULL; `0x01` integer, 8 bytes big-endian two's complement; `0x02` real, 8 bytes
///   big-endian IEEE 754 bits, negative zero written as zero (SQL holds them equal and MariaDB does not
///   keep the sign); `0x03` text, 8-byte big-endian length then UTF-8 bytes;
///   `0x04` blob, 8-byte big-endian length then the bytes;
/// - and a `0x1D` byte after each row.
public struct ContentDigest {
    private var hasher = SHA256()
    private var buffer: [UInt8] = []
    public private(set) var rowCount: Int64 = 0

    /// Bytes accumulated before they are handed to SHA-256: one call per 64 KiB rather than per value.
    private static let flushThreshold = 64 * 1024

    public init(columns: [String]) {
        buffer.reserveCapacity(Self.flushThreshold + 4096)
        for column in columns {
            buffer.append(0x03)
            var name = column
            name.withUTF8 { appendLengthPrefixed(UnsafeRawBufferPointer($0)) }
        }
        buffer.append(0x1E)
    }

    public mutating func add(row: [SQLValue]) {
        add(row: SQLValueRow(values: row))
    }

    /// Adds a row read straight from the backend's buffers.
    public mutating func add(row: some RawRow) {
        for index in 0..<row.count {
            switch row.kind(at: index) {
            case .null:
                buffer.append(0x00)
            case .integer:
                buffer.append(0x01)
                appendBigEndian(UInt64(bitPattern: row.integer(at: index)))
            case .real:
                buffer.append(0x02)
                let value = row.real(at: index)
                // -0.0 == 0.0 in SQL, and not every engine keeps the sign: digest the one zero.
                appendBigEndian(value == 0 ? 0 : value.bitPattern)
            case .text:
                buffer.append(0x03)
                row.withBytes(at: index) { appendLengthPrefixed($0) }
            case .blob:
                buffer.append(0x04)
                row.withBytes(at: index) { appendLengthPrefixed($0) }
            }
        }
        buffer.append(0x1D)
        rowCount += 1
        if buffer.count >= Self.flushThreshold { flush() }
    }

    /// The lower-case hexadecimal SHA-256.
    public mutating func finalize() -> String {
        flush()
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    private mutating func appendLengthPrefixed(_ bytes: UnsafeRawBufferPointer) {
        appendBigEndian(UInt64(bytes.count))
        buffer.append(contentsOf: bytes)
    }

    private mutating func appendBigEndian(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    private mutating func flush() {
        buffer.withUnsafeBufferPointer { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        buffer.removeAll(keepingCapacity: true)
    }
}

extension EstablishmentReader {
    /// Digests every table of the database, in name order.
    public func tableDigests() throws -> [TableDigest] {
        try tableNames().map { try tableDigest($0) }
    }

    /// Reads `table` whole, in primary-key order, and digests it.
    public func tableDigest(_ table: String) throws -> TableDigest {
        let columns = try columnNames(of: table)
        var digest = ContentDigest(columns: columns)
        try forEachRawRow(of: table, columns: columns) { digest.add(row: $0) }
        return TableDigest(table: table, rows: digest.rowCount, sha256: digest.finalize())
    }
}
