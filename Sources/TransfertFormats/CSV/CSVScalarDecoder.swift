import Foundation
import TransfertModel

/// Turns a CSV's bytes into Unicode scalars a chunk at a time, in the encoding ``CSVTextEncoding``
/// found: a sequence cut by a chunk's end is carried to the next chunk, the BOM is dropped.
struct CSVScalarDecoder {
    let encoding: CSVTextEncoding
    private var bomLeft: Int
    private var carry: [UInt8] = []

    init(encoding: CSVTextEncoding) {
        self.encoding = encoding
        bomLeft = encoding.bomLength
    }

    /// Appends the scalars of `chunk` (and of what was carried) to `scalars`.
    mutating func decode(_ chunk: UnsafeRawBufferPointer, isLast: Bool, into scalars: inout [Unicode.Scalar]) {
        var bytes = carry
        carry = []
        bytes.append(contentsOf: chunk)
        if bomLeft > 0 {
            let dropped = min(bomLeft, bytes.count)
            bytes.removeFirst(dropped)
            bomLeft -= dropped
        }
        switch encoding {
        case .utf8, .utf8BOM:
            let cut = isLast ? bytes.count : UTF8Boundary.completePrefixLength(bytes)
            scalars.append(contentsOf: String(decoding: bytes[..<cut], as: UTF8.self).unicodeScalars)
            carry = Array(bytes[cut...])
        case .utf16LittleEndian, .utf16BigEndian:
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            let bigEndian = encoding == .utf16BigEndian
            var index = 0
            while index + 1 < bytes.count {
                let a = UInt16(bytes[index])
                let b = UInt16(bytes[index + 1])
                units.append(bigEndian ? a << 8 | b : b << 8 | a)
                index += 2
            }
            var keep = units.count
            if !isLast, let last = units.last, last & 0xFC00 == 0xD800 { keep -= 1 }  // a pair cut in two
            scalars.append(contentsOf: String(decoding: units[..<keep], as: UTF16.self).unicodeScalars)
            carry = Array(bytes[(keep * 2)...])
        case .windows1252:
            scalars.reserveCapacity(scalars.count + bytes.count)
            for byte in bytes {
                let value: UInt32 = (0x80...0x9F).contains(byte) ? Self.windows1252High[Int(byte - 0x80)] : UInt32(byte)
                scalars.append(Unicode.Scalar(value)!)
            }
        }
    }

    /// Windows-1252 0x80…0x9F: €, typographic quotes, Œ, œ, Ÿ…; the five unassigned bytes keep their C1
    /// code point, as browsers do.
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D,
        0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D,
        0x017E, 0x0178,
    ]
}
