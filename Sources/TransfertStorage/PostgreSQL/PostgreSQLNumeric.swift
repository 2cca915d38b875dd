import NIOCore

/// PostgreSQL's binary `numeric` as exact decimal text. Written here rather than taken from PostgresNIO,
/// whose reading turns NaN (and the infinities PostgreSQL 14 added) into "0": a value would change silently.
enum PostgreSQLNumeric {
    /// `123`, `-0.0500`, `NaN`, `Infinity`, `-Infinity`; nil when the bytes are not a numeric.
    ///
    /// The format: int16 count of base-10000 digits, int16 weight of the first (10000^weight), uint16 sign
    /// (0x0000, 0x4000 negative, 0xC000 NaN, 0xD000 +∞, 0xF000 −∞), uint16 digits shown after the point,
    /// then the digits.
    static func text(from bytes: ByteBuffer) -> String? {
        var bytes = bytes
        guard let count = bytes.readInteger(as: Int16.self), let weight = bytes.readInteger(as: Int16.self),
            let sign = bytes.readInteger(as: UInt16.self), let scale = bytes.readInteger(as: UInt16.self),
            count >= 0
        else { return nil }
        switch sign {
        case 0xC000: return "NaN"
        case 0xD000: return "Infinity"
        case 0xF000: return "-Infinity"
        case 0x0000, 0x4000: break
        default: return nil
        }
        var digits: [Int16] = []
        for _ in 0..<count {
            guard let digit = bytes.readInteger(as: Int16.self), (0..<10000).contains(digit) else { return nil }
            digits.append(digit)
        }
        let digit = { (index: Int) -> Int16 in digits.indices.contains(index) ? digits[index] : 0 }
        let padded = { (value: Int16) -> String in
            let text = String(value)
            return String(repeating: "0", count: 4 - text.count) + text
        }
        var text = sign == 0x4000 && !digits.allSatisfy({ $0 == 0 }) ? "-" : ""
        if weight < 0 {
            text += "0"
        } else {
            text += String(digit(0))
            if weight > 0 { for index in 1...Int(weight) { text += padded(digit(index)) } }
        }
        if scale > 0 {
            var fraction = ""
            let groups = (Int(scale) + 3) / 4
            for group in 0..<groups { fraction += padded(digit(Int(weight) + 1 + group)) }
            text += "." + fraction.prefix(Int(scale))
        }
        return text
    }
}
