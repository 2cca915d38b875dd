import Foundation
import TransfertModel

/// Appends SQL literals of the archive format to a byte buffer, without building intermediate strings
/// for the common cases (integers, ASCII-safe text).
///
/// - `NULL`; integers in decimal; reals in the shortest form that reads back to the same bits, always with
///   a `.` or an exponent so they stay reals (`9e999`/`-9e999` for infinities, `NULL` for NaN, which SQLite
///   stores as NULL anyway);
/// - text as `'…'` with `'` doubled (UTF-8 as is, line breaks kept); text holding a NUL character as
///   `CAST(X'…' AS TEXT)`, the one form a shell can read back;
/// - blobs as `X'…'` in upper-case hexadecimal.
struct SQLTextEncoder {
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    static func append(_ value: SQLValue, to buffer: inout [UInt8]) {
        append(SQLValueRow(values: [value]), at: 0, to: &buffer)
    }

    /// Appends the literal of value `index` of `row`.
    static func append(_ row: some RawRow, at index: Int, to buffer: inout [UInt8]) {
        switch row.kind(at: index) {
        case .null:
            buffer.append(contentsOf: [0x4E, 0x55, 0x4C, 0x4C])  // NULL
        case .integer:
            appendInteger(row.integer(at: index), to: &buffer)
        case .real:
            appendReal(row.real(at: index), to: &buffer)
        case .text:
            row.withBytes(at: index) { appendText($0, to: &buffer) }
        case .blob:
            row.withBytes(at: index) { appendHex($0, prefix: "X'", suffix: "'", to: &buffer) }
        }
    }

    static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        if value == 0 {
            buffer.append(0x30)
            return
        }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // room for 20 digits, no allocation
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            while magnitude > 0 {
                raw[count] = UInt8(magnitude % 10) + 0x30
                magnitude /= 10
                count += 1
            }
            if value < 0 { buffer.append(0x2D) }
            for index in stride(from: count - 1, through: 0, by: -1) { buffer.append(raw[index]) }
        }
    }

    static func appendReal(_ value: Double, to buffer: inout [UInt8]) {
        if value.isNaN {
            buffer.append(contentsOf: Array("NULL".utf8))
            return
        }
        if value.isInfinite {
            buffer.append(contentsOf: Array((value < 0 ? "-9e999" : "9e999").utf8))
            return
        }
        // Swift's description is the shortest text that parses back to the same Double.
        let text = value.description
        buffer.append(contentsOf: text.utf8)
        if !text.utf8.contains(where: { $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }) {
            buffer.append(contentsOf: [0x2E, 0x30])
        }
    }

    static func appendText(_ bytes: UnsafeRawBufferPointer, to buffer: inout [UInt8]) {
        if bytes.contains(0) {
            appendHex(bytes, prefix: "CAST(X'", suffix: "' AS TEXT)", to: &buffer)
            return
        }
        buffer.append(0x27)
        var start = 0
        for index in 0..<bytes.count where bytes[index] == 0x27 {
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start...index]))
            buffer.append(0x27)
            start = index + 1
        }
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start...]))
        buffer.append(0x27)
    }

    static func appendHex(_ data: UnsafeRawBufferPointer, prefix: String, suffix: String, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: prefix.utf8)
        buffer.reserveCapacity(buffer.count + data.count * 2 + suffix.utf8.count)
        for byte in data {
            buffer.append(hexDigits[Int(byte >> 4)])
            buffer.append(hexDigits[Int(byte & 0x0F)])
        }
        buffer.append(contentsOf: suffix.utf8)
    }
}
