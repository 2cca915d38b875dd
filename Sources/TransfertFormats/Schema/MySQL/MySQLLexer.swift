import Foundation
import TransfertModel

/// Cuts MySQL-dialect SQL into tokens, as SACoche's dumps and `SHOW CREATE TABLE` write it: bare and
/// backquoted names, `'…'` strings with `''`, `"…"` strings, every MySQL backslash escape (`\0 \' \" \b
/// \n \r \t \Z \\ \% \_`), raw line breaks inside strings. Comments are refused: SACoche writes none, and
/// a dump is read, never run, so nothing may hide in one.
public struct MySQLLexer {
    private let bytes: [UInt8]
    private let entry: String
    private var index = 0
    private var line: Int
    private var lineStart = 0
    /// `"…"` quotes a name (MySQL's `ANSI_QUOTES` mode, which Transfert's MariaDB sessions use).
    private let ansiQuotes: Bool
    /// SACoche's writer before 2016-04-18 escaped only `"` inside `"…"` values and wrote a `\` single:
    /// there, `\"` is a quote and any other backslash is itself.
    private let legacyEscapes: Bool

    public init(bytes: [UInt8], entry: String, line: Int = 1, ansiQuotes: Bool = false, legacyEscapes: Bool = false) {
        self.bytes = bytes
        self.entry = entry
        self.line = line
        self.ansiQuotes = ansiQuotes
        self.legacyEscapes = legacyEscapes
    }

    /// The position of the next byte, for messages about what follows the last token.
    public var position: (line: Int, column: Int) { (line, index - lineStart + 1) }
    public var isAtEnd: Bool { index >= bytes.count }

    private func error(_ message: String, line: Int, column: Int) -> MySQLSyntaxError {
        MySQLSyntaxError(entry: entry, line: line, column: column, message: message)
    }

    public mutating func next() throws(MySQLSyntaxError) -> MySQLToken? {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                index += 1
                line += 1
                lineStart = index
                continue
            }
            if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0C {
                index += 1
                continue
            }
            break
        }
        guard index < bytes.count else { return nil }
        let startLine = line
        let startColumn = index - lineStart + 1
        let start = index
        let byte = bytes[index]
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        switch byte {
        case 0x22 where ansiQuotes:
            let (value, _) = try quoted(byte, line: startLine, column: startColumn)
            return MySQLToken(
                kind: .backquoted, text: String(decoding: value, as: UTF8.self), line: startLine, column: startColumn)
        case 0x27, 0x22:
            let (value, valid) = try quoted(byte, line: startLine, column: startColumn)
            return MySQLToken(
                kind: byte == 0x27 ? .singleQuoted : .doubleQuoted, text: String(decoding: value, as: UTF8.self),
                bytes: valid ? nil : value, line: startLine, column: startColumn)
        case 0x60:
            index += 1
            var name: [UInt8] = []
            while true {
                guard index < bytes.count else { throw error("unclosed `name`", line: startLine, column: startColumn) }
                let b = bytes[index]
                index += 1
                if b == 0x60 {
                    if index < bytes.count, bytes[index] == 0x60 {
                        name.append(0x60)
                        index += 1
                        continue
                    }
                    break
                }
                if b == 0x0A { throw error("a line break inside a `name`", line: startLine, column: startColumn) }
                name.append(b)
            }
            guard !name.isEmpty else { throw error("an empty `name`", line: startLine, column: startColumn) }
            return MySQLToken(
                kind: .backquoted, text: String(decoding: name, as: UTF8.self), line: startLine, column: startColumn)
        case 0x30...0x39:
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            if index + 1 < bytes.count, bytes[index] == 0x2E, (0x30...0x39).contains(bytes[index + 1]) {
                index += 1
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] | 0x20 == 0x65 {
                var end = index + 1
                if end < bytes.count, bytes[end] == 0x2B || bytes[end] == 0x2D { end += 1 }
                if end < bytes.count, (0x30...0x39).contains(bytes[end]) {
                    index = end
                    while index < bytes.count, (0x30...0x39).contains(bytes[index]) { index += 1 }
                }
            }
            if index < bytes.count, Self.isWordByte(bytes[index]) {
                throw error(
                    "'\(text(start..<min(index + 1, bytes.count)))' is neither a number nor a name", line: startLine,
                    column: startColumn)
            }
            return MySQLToken(kind: .number, text: text(start..<index), line: startLine, column: startColumn)
        default:
            if Self.isWordByte(byte) {
                while index < bytes.count, Self.isWordByte(bytes[index]) { index += 1 }
                return MySQLToken(kind: .word, text: text(start..<index), line: startLine, column: startColumn)
            }
            if byte == 0x2D, index + 1 < bytes.count, bytes[index + 1] == 0x2D {
                throw error(
                    "a comment ('--'): SACoche dumps hold none, and nothing may hide in one", line: startLine,
                    column: startColumn)
            }
            if byte == 0x2F, index + 1 < bytes.count, bytes[index + 1] == 0x2A {
                throw error(
                    "a comment ('/*'): SACoche dumps hold none, and nothing may hide in one", line: startLine,
                    column: startColumn)
            }
            if byte == 0x23 {
                throw error(
                    "a comment ('#'): SACoche dumps hold none, and nothing may hide in one", line: startLine,
                    column: startColumn)
            }
            if "(),;=.-+".utf8.contains(byte) {
                index += 1
                return MySQLToken(kind: .symbol, text: text(start..<index), line: startLine, column: startColumn)
            }
            throw error("unexpected character '\(text(start..<start + 1))'", line: startLine, column: startColumn)
        }
    }

    /// Letters, digits, `_`, `$` and non-ASCII bytes.
    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x5F || byte == 0x24 || byte >= 0x80
    }

    /// A quoted string from the opening quote at `index`; returns the decoded bytes and whether they are UTF-8.
    private mutating func quoted(_ quote: UInt8, line startLine: Int, column startColumn: Int) throws(MySQLSyntaxError)
        -> ([UInt8], Bool)
    {
        index += 1
        var value: [UInt8] = []
        var segmentStart = index
        while true {
            guard index < bytes.count else {
                throw error(
                    "a string opened here is never closed (a missing \(quote == 0x27 ? "'" : "\"")): the dump is truncated or damaged",
                    line: startLine, column: startColumn)
            }
            let b = bytes[index]
            if b == quote {
                value.append(contentsOf: bytes[segmentStart..<index])
                index += 1
                if index < bytes.count, bytes[index] == quote {  // '' inside '…'
                    value.append(quote)
                    index += 1
                    segmentStart = index
                    continue
                }
                break
            }
            if b == 0x5C && legacyEscapes && quote == 0x22 {
                if index + 1 < bytes.count, bytes[index + 1] == 0x22 {
                    value.append(contentsOf: bytes[segmentStart..<index])
                    value.append(0x22)
                    index += 2
                    segmentStart = index
                } else {
                    index += 1  // a backslash written as itself
                }
                continue
            }
            if b == 0x5C {
                value.append(contentsOf: bytes[segmentStart..<index])
                guard index + 1 < bytes.count else { continue }  // reported as unclosed
                let escaped = bytes[index + 1]
                switch escaped {
                case 0x30: value.append(0x00)
                case 0x62: value.append(0x08)
                case 0x6E: value.append(0x0A)
                case 0x72: value.append(0x0D)
                case 0x74: value.append(0x09)
                case 0x5A: value.append(0x1A)
                case 0x25, 0x5F:
                    value.append(0x5C)
                    value.append(escaped)  // \% and \_ keep their backslash
                case 0x0A:
                    value.append(0x0A)
                    line += 1
                    lineStart = index + 2
                default: value.append(escaped)  // \\ \' \" and any other character: itself
                }
                index += 2
                segmentStart = index
                continue
            }
            if b == 0x0A {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        return (value, Self.isUTF8(value))
    }

    static func isUTF8(_ bytes: [UInt8]) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }
}
