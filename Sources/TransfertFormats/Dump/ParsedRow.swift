import Foundation
import TransfertModel

/// One row of an INSERT, read in place from the statement text (see ``RawRow``).
public struct ParsedRow: RawRow {
    struct Value {
        var kind: SQLValueKind
        var integer: Int64 = 0
        var real: Double = 0
        /// For text and blobs: a range in the statement bytes (text without doubled quotes), or in
        /// `decoded` when the literal needed decoding (doubled quotes, hexadecimal).
        var start = 0
        var length = 0
        var isDecoded = false
    }

    var values: [Value] = []
    var decoded: [UInt8] = []
    var bytes = UnsafeRawBufferPointer(start: nil, count: 0)

    mutating func reset(bytes: UnsafeRawBufferPointer) {
        values.removeAll(keepingCapacity: true)
        decoded.removeAll(keepingCapacity: true)
        self.bytes = bytes
    }

    public var count: Int { values.count }
    public func kind(at index: Int) -> SQLValueKind { values[index].kind }
    public func integer(at index: Int) -> Int64 { values[index].integer }
    public func real(at index: Int) -> Double { values[index].real }

    public func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let value = values[index]
        if value.isDecoded {
            return try decoded.withUnsafeBytes {
                try body(UnsafeRawBufferPointer(rebasing: $0[value.start..<value.start + value.length]))
            }
        }
        return try body(UnsafeRawBufferPointer(rebasing: bytes[value.start..<value.start + value.length]))
    }

    /// Value `index` as the dump writes it (`42`, `1.5`, `'text'`, `X'…'`), shortened, for messages.
    func literal(at index: Int) -> String {
        switch kind(at: index) {
        case .null: return "NULL"
        case .integer: return String(integer(at: index))
        case .real: return String(real(at: index))
        case .text:
            let text = withBytes(at: index) { String(decoding: $0, as: UTF8.self) }
            var shown = ""
            // Control characters (a newline, a vertical tab around a number) are written out, not printed.
            for scalar in (text.count > 40 ? String(text.prefix(40)) : text).unicodeScalars {
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    shown.unicodeScalars.append(scalar)
                }
            }
            return "'" + shown.replacingOccurrences(of: "'", with: "''") + "'" + (text.count > 40 ? "…" : "")
        case .blob:
            return "a blob of \(withBytes(at: index) { $0.count }) bytes"
        }
    }
}
