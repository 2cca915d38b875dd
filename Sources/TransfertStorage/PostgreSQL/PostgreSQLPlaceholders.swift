/// The registry writes its SQL once with `?` for each value (SQLite's and MariaDB's placeholders); PostgreSQL
/// numbers them: `$1`, `$2`… A `?` inside a quoted string, a quoted name or a comment is left as it is.
enum PostgreSQLPlaceholders {
    static func numbered(_ sql: String) -> String {
        guard sql.utf8.contains(UInt8(ascii: "?")) else { return sql }
        var result: [UInt8] = []
        result.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: UInt8?
        var inLineComment = false
        var previous: UInt8 = 0
        for byte in sql.utf8 {
            defer { previous = byte }
            if inLineComment {
                if byte == 0x0A { inLineComment = false }
            } else if let open = quote {
                // A doubled quote closes and reopens: the state comes back right either way.
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                quote = byte
            } else if byte == UInt8(ascii: "-") && previous == UInt8(ascii: "-") {
                inLineComment = true
            } else if byte == UInt8(ascii: "?") {
                number += 1
                result.append(contentsOf: "$\(number)".utf8)
                continue
            }
            result.append(byte)
        }
        return String(decoding: result, as: UTF8.self)
    }
}
