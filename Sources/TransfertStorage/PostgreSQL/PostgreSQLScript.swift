import Foundation

/// Splits trusted SQL text of several statements into its statements, since PostgreSQL's extended protocol
/// (the only one PostgresNIO speaks) runs one statement at a time. Semicolons inside quotes ('…', "…"),
/// dollar quotes ($$…$$, $tag$…$tag$) and comments (-- …, /* … */, nested) do not end a statement.
enum PostgreSQLScript {
    static func statements(in text: String, server: String) throws -> [String] {
        let bytes = Array(text.utf8)
        var statements: [String] = []
        var start = 0
        var index = 0
        func flush(until end: Int) {
            let statement = String(decoding: bytes[start..<end], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if !statement.isEmpty && !Self.isOnlyComments(statement) { statements.append(statement) }
        }
        func unterminated(_ what: String) -> PostgreSQLError {
            PostgreSQLError(
                server: server, sqlState: "42601", message: "the SQL text ends inside \(what): nothing was run")
        }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                index += 1
                while index < bytes.count {
                    if bytes[index] == byte {
                        // A doubled quote is one quote inside the string.
                        if index + 1 < bytes.count && bytes[index + 1] == byte {
                            index += 2
                            continue
                        }
                        break
                    }
                    index += 1
                }
                guard index < bytes.count else { throw unterminated("a quoted string") }
                index += 1
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "-"):
                while index < bytes.count && bytes[index] != 0x0A { index += 1 }
            case UInt8(ascii: "/") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "*"):
                var depth = 0
                repeat {
                    if index + 1 < bytes.count && bytes[index] == UInt8(ascii: "/")
                        && bytes[index + 1] == UInt8(ascii: "*")
                    {
                        depth += 1
                        index += 2
                    } else if index + 1 < bytes.count && bytes[index] == UInt8(ascii: "*")
                        && bytes[index + 1] == UInt8(ascii: "/")
                    {
                        depth -= 1
                        index += 2
                    } else {
                        index += 1
                    }
                } while depth > 0 && index < bytes.count
                guard depth == 0 else { throw unterminated("a comment") }
            case UInt8(ascii: "$"):
                // $tag$ where tag is empty or an identifier not starting with a digit ($1 is a parameter).
                var end = index + 1
                while end < bytes.count,
                    bytes[end] == UInt8(ascii: "_") || (bytes[end] >= 0x80)
                        || (bytes[end] >= UInt8(ascii: "a") && bytes[end] <= UInt8(ascii: "z"))
                        || (bytes[end] >= UInt8(ascii: "A") && bytes[end] <= UInt8(ascii: "Z"))
                        || (end > index + 1 && bytes[end] >= UInt8(ascii: "0") && bytes[end] <= UInt8(ascii: "9"))
                {
                    end += 1
                }
                guard end < bytes.count, bytes[end] == UInt8(ascii: "$") else {
                    index += 1
                    continue
                }
                let tag = Array(bytes[index...end])
                var search = end + 1
                while search + tag.count <= bytes.count && !bytes[search..<(search + tag.count)].elementsEqual(tag) {
                    search += 1
                }
                guard search + tag.count <= bytes.count else { throw unterminated("a dollar-quoted string") }
                index = search + tag.count
            case UInt8(ascii: ";"):
                flush(until: index)
                index += 1
                start = index
            default:
                index += 1
            }
        }
        flush(until: bytes.count)
        return statements
    }

    /// Whether `statement` holds nothing but comments (the text after a last semicolon often does).
    private static func isOnlyComments(_ statement: String) -> Bool {
        statement.split(separator: "\n").allSatisfy {
            let line = $0.trimmingCharacters(in: .whitespaces)
            return line.isEmpty || line.hasPrefix("--")
        }
    }
}
