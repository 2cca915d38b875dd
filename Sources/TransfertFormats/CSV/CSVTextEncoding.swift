import Foundation
import TransfertModel

/// How a CSV's bytes become text, found by reading the file through once without keeping it
/// (``sniff(_:file:)``), then applied chunk by chunk (``CSVScalarDecoder``).
///
/// The rules are those of the whole-file reader before it: a UTF-8 BOM means UTF-8 (invalid bytes
/// repaired); a UTF-16 BOM means UTF-16 when the rest is valid UTF-16; otherwise valid UTF-8 is UTF-8, and
/// anything else is Windows-1252 (what Excel and LibreOffice write in French locales).
enum CSVTextEncoding: Equatable {
    case utf8
    case utf8BOM
    case utf16LittleEndian
    case utf16BigEndian
    case windows1252

    /// What reports show.
    var label: CSVEncoding {
        switch self {
        case .utf8: return .utf8
        case .utf8BOM: return .utf8BOM
        case .utf16LittleEndian, .utf16BigEndian: return .utf16
        case .windows1252: return .windows1252
        }
    }

    /// Bytes at the start that are not text.
    var bomLength: Int {
        switch self {
        case .utf8BOM: return 3
        case .utf16LittleEndian, .utf16BigEndian: return 2
        case .utf8, .windows1252: return 0
        }
    }

    static func sniff(_ source: CSVByteSource, file: String) throws -> CSVTextEncoding {
        var head: [UInt8] = []
        try source.forEachChunk(file: file) { chunk, _ in
            head += chunk.prefix(3 - head.count)
            return head.count < 3
        }
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8BOM }
        if head.starts(with: [0xFF, 0xFE]), try isValidUTF16(source, file: file, bigEndian: false) {
            return .utf16LittleEndian
        }
        if head.starts(with: [0xFE, 0xFF]), try isValidUTF16(source, file: file, bigEndian: true) {
            return .utf16BigEndian
        }
        return try isValidUTF8(source, file: file) ? .utf8 : .windows1252
    }

    /// Even length after the BOM, and every surrogate in a pair.
    private static func isValidUTF16(_ source: CSVByteSource, file: String, bigEndian: Bool) throws -> Bool {
        var valid = true
        var skip = 2
        var oddByte: UInt8?
        var expectLow = false
        try source.forEachChunk(file: file) { chunk, isLast in
            for byte in chunk {
                if skip > 0 {
                    skip -= 1
                    continue
                }
                guard let first = oddByte else {
                    oddByte = byte
                    continue
                }
                oddByte = nil
                let unit = bigEndian ? UInt16(first) << 8 | UInt16(byte) : UInt16(byte) << 8 | UInt16(first)
                let isHigh = unit & 0xFC00 == 0xD800
                let isLow = unit & 0xFC00 == 0xDC00
                if expectLow != isLow {
                    valid = false
                    return false
                }
                expectLow = isHigh
            }
            if isLast, oddByte != nil || expectLow { valid = false }
            return true
        }
        return valid
    }

    /// Valid UTF-8 from end to end, checked a chunk at a time (a sequence cut by a chunk's end is carried).
    private static func isValidUTF8(_ source: CSVByteSource, file: String) throws -> Bool {
        var valid = true
        var carry: [UInt8] = []
        try source.forEachChunk(file: file) { chunk, isLast in
            var bytes = carry
            bytes.append(contentsOf: chunk)
            let cut = isLast ? bytes.count : UTF8Boundary.completePrefixLength(bytes)
            valid = String(validating: bytes[..<cut], as: UTF8.self) != nil
            carry = Array(bytes[cut...])
            return valid
        }
        return valid
    }
}
