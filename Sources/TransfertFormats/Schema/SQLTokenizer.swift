import Foundation
import TransfertModel

/// Cuts schema SQL into tokens. Comments are dropped; parameters (`?`, `:name`, `@name`, `$name`)
/// are refused, since a schema never has any.
public enum SQLTokenizer {
    /// - Parameter annotations: keep `-- transfert-mysql {…}` comments as ``SQLToken/Kind/annotation``
    ///   tokens (the schema parser reads them); other comments are always dropped.
    public static func tokens(of bytes: [UInt8], annotations: Bool = false) throws(SchemaSyntaxError) -> [SQLToken] {
        var tokens: [SQLToken] = []
        var index = 0
        let count = bytes.count
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        while index < count {
            let byte = bytes[index]
            let start = index
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
                index += 1
            case 0x2D where index + 1 < count && bytes[index + 1] == 0x2D:  // -- comment
                while index < count, bytes[index] != 0x0A { index += 1 }
                if annotations {
                    let comment = text(start + 2..<index).trimmingCharacters(in: .whitespaces)
                    if comment.hasPrefix(MySQLTableDefinition.annotationPrefix) {
                        tokens.append(
                            SQLToken(
                                kind: .annotation,
                                text: String(comment.dropFirst(MySQLTableDefinition.annotationPrefix.count)),
                                offset: start))
                    }
                }
            case 0x2F where index + 1 < count && bytes[index + 1] == 0x2A:  // /* comment */
                index += 2
                while index + 1 < count, !(bytes[index] == 0x2A && bytes[index + 1] == 0x2F) { index += 1 }
                guard index + 1 < count else { throw SchemaSyntaxError(offset: start, message: "unclosed /* comment") }
                index += 2
            case 0x27:  // 'string'
                let (value, end) = try quoted(bytes, from: index, quote: 0x27, what: "string")
                tokens.append(SQLToken(kind: .string, text: value, offset: start))
                index = end
            case 0x22, 0x60:  // "name" or `name`
                let (value, end) = try quoted(bytes, from: index, quote: byte, what: "quoted name")
                guard !value.isEmpty else { throw SchemaSyntaxError(offset: start, message: "an empty quoted name") }
                tokens.append(SQLToken(kind: .quotedName, text: value, offset: start))
                index = end
            case 0x5B:  // [name]
                guard let close = bytes[(index + 1)...].firstIndex(of: 0x5D) else {
                    throw SchemaSyntaxError(offset: start, message: "unclosed [name]")
                }
                tokens.append(SQLToken(kind: .quotedName, text: text(index + 1..<close), offset: start))
                index = close + 1
            case 0x58 where index + 1 < count && bytes[index + 1] == 0x27,
                0x78 where index + 1 < count && bytes[index + 1] == 0x27:  // X'hex'
                let (value, end) = try quoted(bytes, from: index + 1, quote: 0x27, what: "blob")
                guard value.utf8.count % 2 == 0,
                    value.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || (($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x66) }
                    )
                else {
                    throw SchemaSyntaxError(
                        offset: start, message: "X'…' must hold an even number of hexadecimal digits")
                }
                tokens.append(SQLToken(kind: .blob, text: value.uppercased(), offset: start))
                index = end
            case 0x2E where index + 1 < count && (0x30...0x39).contains(bytes[index + 1]), 0x30...0x39:
                index = numberEnd(bytes, from: index)
                tokens.append(SQLToken(kind: .number, text: text(start..<index), offset: start))
            case 0x3F, 0x3A, 0x40, 0x24:
                throw SchemaSyntaxError(
                    offset: start,
                    message: "parameters ('\(Character(UnicodeScalar(byte)))') are not allowed in a schema")
            default:
                if isWordByte(byte) {
                    while index < count, isWordByte(bytes[index]) { index += 1 }
                    tokens.append(SQLToken(kind: .word, text: text(start..<index), offset: start))
                } else if let symbol = symbol(bytes, at: index) {
                    tokens.append(SQLToken(kind: .symbol, text: symbol, offset: start))
                    index += symbol.utf8.count
                } else {
                    throw SchemaSyntaxError(
                        offset: start, message: "unexpected character '\(text(start ..< start + 1))'")
                }
            }
        }
        return tokens
    }

    /// Letters, digits, `_`, `$` inside a word, and any non-ASCII byte (accented names).
    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x5F || byte >= 0x80
    }

    private static func quoted(_ bytes: [UInt8], from start: Int, quote: UInt8, what: String) throws(SchemaSyntaxError)
        -> (String, Int)
    {
        var value: [UInt8] = []
        var index = start + 1
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == quote {
                if index < bytes.count, bytes[index] == quote {
                    value.append(quote)
                    index += 1
                    continue
                }
                guard let text = String(validating: value, as: UTF8.self) else {
                    throw SchemaSyntaxError(offset: start, message: "a \(what) is not valid UTF-8")
                }
                return (text, index)
            }
            value.append(byte)
        }
        throw SchemaSyntaxError(offset: start, message: "unclosed \(what)")
    }

    private static func numberEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        if bytes[index] == 0x30, index + 1 < bytes.count, bytes[index + 1] | 0x20 == 0x78 {  // 0x hex
            index += 2
            while index < bytes.count, isWordByte(bytes[index]) { index += 1 }
            return index
        }
        while index < bytes.count, (0x30...0x39).contains(bytes[index]) || bytes[index] == 0x2E { index += 1 }
        if index < bytes.count, bytes[index] | 0x20 == 0x65 {  // exponent
            var next = index + 1
            if next < bytes.count, bytes[next] == 0x2B || bytes[next] == 0x2D { next += 1 }
            if next < bytes.count, (0x30...0x39).contains(bytes[next]) {
                index = next
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            }
        }
        return index
    }

    /// Longest first, as bytes: a symbol is matched without allocating.
    private static let symbols: [(text: String, bytes: [UInt8])] = [
        "->>", "||", "<<", ">>", "<=", ">=", "==", "!=", "<>", "->",
        "(", ")", ",", ";", ".", "=", "<", ">", "+", "-", "*", "/", "%", "&", "|", "~",
    ]
    .map { ($0, Array($0.utf8)) }

    private static func symbol(_ bytes: [UInt8], at index: Int) -> String? {
        for symbol in symbols where index + symbol.bytes.count <= bytes.count {
            if bytes[index..<index + symbol.bytes.count].elementsEqual(symbol.bytes) { return symbol.text }
        }
        return nil
    }
}
