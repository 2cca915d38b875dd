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
    /// The decoded bytes of a quoted string that holds escapes, reused from one string to the next: a
    /// dump holds millions of values, and most need no buffer of their own (see ``quoted(_:line:column:)``).
    private var scratch: [UInt8] = []

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
            let (text, _) = try quoted(byte, line: startLine, column: startColumn)
            return MySQLToken(kind: .backquoted, text: text, line: startLine, column: startColumn)
        case 0x27, 0x22:
            let (text, invalid) = try quoted(byte, line: startLine, column: startColumn)
            return MySQLToken(
                kind: byte == 0x27 ? .singleQuoted : .doubleQuoted, text: text, bytes: invalid, line: startLine,
                column: startColumn)
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

    /// A quoted string from the opening quote at `index`: its decoded text, and its decoded bytes when they
    /// are not UTF-8 (the text is then their lossy rendering).
    ///
    /// A string without escapes (most values) is made straight from the dump's bytes, validated once; one
    /// with escapes is decoded into ``scratch`` first. Either way one `String` is made per value, and none
    /// for a value of up to 15 bytes, which Swift keeps inline.
    private mutating func quoted(_ quote: UInt8, line startLine: Int, column startColumn: Int) throws(MySQLSyntaxError)
        -> (text: String, invalid: [UInt8]?)
    {
        index += 1
        let valueStart = index
        var escaped = false
        scratch.removeAll(keepingCapacity: true)
        var segmentStart = index
        while true {
            guard index < bytes.count else {
                throw error(
                    "a string opened here is never closed (a missing \(quote == 0x27 ? "'" : "\"")): the dump is truncated or damaged",
                    line: startLine, column: startColumn)
            }
            let b = bytes[index]
            if b == quote {
                if index + 1 < bytes.count, bytes[index + 1] == quote {  // '' inside '…'
                    escaped = true
                    scratch.append(contentsOf: bytes[segmentStart..<index])
                    scratch.append(quote)
                    index += 2
                    segmentStart = index
                    continue
                }
                if escaped { scratch.append(contentsOf: bytes[segmentStart..<index]) }
                break
            }
            if b == 0x5C && legacyEscapes && quote == 0x22 {
                if index + 1 < bytes.count, bytes[index + 1] == 0x22 {
                    escaped = true
                    scratch.append(contentsOf: bytes[segmentStart..<index])
                    scratch.append(0x22)
                    index += 2
                    segmentStart = index
                } else {
                    index += 1  // a backslash written as itself
                }
                continue
            }
            if b == 0x5C {
                escaped = true
                scratch.append(contentsOf: bytes[segmentStart..<index])
                guard index + 1 < bytes.count else {  // reported as unclosed
                    index += 1
                    segmentStart = index
                    continue
                }
                let escapedByte = bytes[index + 1]
                switch escapedByte {
                case 0x30: scratch.append(0x00)
                case 0x62: scratch.append(0x08)
                case 0x6E: scratch.append(0x0A)
                case 0x72: scratch.append(0x0D)
                case 0x74: scratch.append(0x09)
                case 0x5A: scratch.append(0x1A)
                case 0x25, 0x5F:
                    scratch.append(0x5C)
                    scratch.append(escapedByte)  // \% and \_ keep their backslash
                case 0x0A:
                    scratch.append(0x0A)
                    line += 1
                    lineStart = index + 2
                default: scratch.append(escapedByte)  // \\ \' \" and any other character: itself
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
        let valueEnd = index
        index += 1  // the closing quote
        if escaped { return Self.decoded(scratch[...]) }
        return Self.decoded(bytes[valueStart..<valueEnd])
    }

    /// The text of decoded bytes, validated as UTF-8 once; the bytes themselves when they are not UTF-8.
    private static func decoded(_ value: ArraySlice<UInt8>) -> (text: String, invalid: [UInt8]?) {
        let text = value.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) }
        if let text { return (text, nil) }
        return (String(decoding: value, as: UTF8.self), Array(value))
    }
}
