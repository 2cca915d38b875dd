import Foundation
import TransfertModel

/// Reads tokens of one complete statement.
struct StatementCursor {
    let bytes: UnsafeRawBufferPointer
    let position: DumpPosition
    var index = 0

    init(bytes: UnsafeRawBufferPointer, position: DumpPosition) {
        self.bytes = bytes
        self.position = position
    }

    /// The position of the cursor, for error messages.
    var here: DumpPosition { position(at: index) }

    /// The position of byte `offset` of the statement.
    func position(at offset: Int) -> DumpPosition {
        var line = position.line
        var column = position.column
        for byte in UnsafeRawBufferPointer(rebasing: bytes[0..<min(offset, bytes.count)]) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return DumpPosition(entry: position.entry, line: line, column: column)
    }

    func error(_ message: String) -> DumpParseError { DumpParseError(position: here, message: message) }

    /// An error pointing at the token that starts at byte `offset` (the refused keyword or value).
    func error(_ message: String, at offset: Int) -> DumpParseError {
        DumpParseError(position: position(at: offset), message: message)
    }

    var atTerminator: Bool { index < bytes.count && bytes[index] == 0x3B }

    @inline(__always)
    mutating func skipSpace() {
        // Most tokens follow the previous one directly: decide that without a loop.
        if index < bytes.count {
            let byte = bytes[index]
            if byte > 0x20 && byte != 0x2D { return }
        }
        skipSpaceAndComments()
    }

    private mutating func skipSpaceAndComments() {
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                index += 1
                continue
            }
            if byte == 0x2D, index + 1 < bytes.count, bytes[index + 1] == 0x2D {
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
                continue
            }
            return
        }
    }

    /// A bare keyword, upper-cased; "" when the next token is not a word.
    mutating func word() -> String {
        skipSpace()
        let start = index
        while index < bytes.count, Self.isWordByte(bytes[index]) { index += 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self).uppercased()
    }

    mutating func peekWord() -> String {
        let saved = index
        defer { index = saved }
        return word()
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == 0x5F
    }

    /// `"quoted"` (with `""` escapes) or a bare word.
    mutating func identifier() throws -> String {
        skipSpace()
        guard index < bytes.count else { throw error("expected a name") }
        if bytes[index] == 0x22 {
            index += 1
            var name: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if byte == 0x22 {
                    if index < bytes.count, bytes[index] == 0x22 {
                        name.append(0x22)
                        index += 1
                        continue
                    }
                    guard !name.isEmpty, name.count <= 1024 else { throw error("a name must have 1 to 1024 bytes") }
                    guard let text = String(validating: name, as: UTF8.self) else {
                        throw error("a name is not valid UTF-8")
                    }
                    return text
                }
                name.append(byte)
            }
            throw error("unclosed quoted name")
        }
        let name = word()
        guard !name.isEmpty, let first = name.utf8.first, !(first >= 0x30 && first <= 0x39) else {
            throw error("expected a name")
        }
        // Bare names keep their case as written.
        return String(
            decoding: UnsafeRawBufferPointer(rebasing: bytes[(index - name.utf8.count)..<index]), as: UTF8.self)
    }

    /// `("a", "b", …)`
    mutating func identifierList() throws -> [String] {
        try expect(0x28, "(")
        var names: [String] = []
        repeat {
            names.append(try identifier())
            if names.count > 2000 { throw error("more than 2000 columns") }
        } while try commaOrClose()
        return names
    }

    mutating func expect(_ byte: UInt8, _ text: String) throws {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { throw error("expected '\(text)'") }
        index += 1
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        if index < bytes.count, bytes[index] == byte {
            index += 1
            return true
        }
        return false
    }

    /// After an item of a list: `true` on `,`, `false` on `)`.
    mutating func commaOrClose() throws -> Bool {
        skipSpace()
        guard index < bytes.count else { throw error("expected ',' or ')'") }
        switch bytes[index] {
        case 0x2C:
            index += 1
            return true
        case 0x29:
            index += 1
            return false
        default: throw error("expected ',' or ')'")
        }
    }

    /// The statement's `;`, then nothing.
    mutating func expectEnd() throws {
        skipSpace()
        guard index < bytes.count, bytes[index] == 0x3B else {
            throw error("unexpected text before ';': \(DumpParseError.allowed)")
        }
        index += 1
        skipSpace()
        guard index == bytes.count else { throw error("unexpected text after ';'") }
    }

    /// A literal default: NULL, a number or a quoted string, returned as written.
    mutating func defaultLiteral() throws -> String {
        skipSpace()
        let start = index
        var row = ParsedRow()
        row.reset(bytes: bytes)
        try literal(into: &row)
        guard row.values.first?.kind != .blob else { throw error("a DEFAULT must be NULL, a number or a string") }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    /// NULL, an integer, a real, `'text'`, `X'hex'` or `CAST(X'hex' AS TEXT)`.
    mutating func literal(into row: inout ParsedRow) throws {
        skipSpace()
        guard index < bytes.count else { throw error("expected a value") }
        let byte = bytes[index]
        if byte | 0x20 == 0x6E, isNull(at: index) {  // NULL, in any case
            index += 4
            row.values.append(.init(kind: .null))
            return
        }
        switch byte {
        case 0x27:  // '
            try text(into: &row)
        case 0x2D, 0x2B, 0x2E, 0x30...0x39:  // - + . digits
            try number(into: &row)
        case 0x58, 0x78:  // X'…'
            guard index + 1 < bytes.count, bytes[index + 1] == 0x27 else { fallthrough }
            index += 1
            try hex(into: &row, kind: .blob)
        default:
            let start = index
            let keyword = word()
            if keyword == "NULL" {
                row.values.append(.init(kind: .null))
            } else if keyword == "CAST" {
                try expect(0x28, "(")
                skipSpace()
                guard index + 1 < bytes.count, bytes[index] == 0x58 || bytes[index] == 0x78, bytes[index + 1] == 0x27
                else {
                    throw error("CAST is only allowed as CAST(X'…' AS TEXT)")
                }
                index += 1
                try hex(into: &row, kind: .text)
                guard word() == "AS", word() == "TEXT" else {
                    throw error("CAST is only allowed as CAST(X'…' AS TEXT)")
                }
                try expect(0x29, ")")
            } else {
                throw error(
                    keyword.isEmpty
                        ? "expected a value"
                        : "\(keyword) is not a literal: only NULL, numbers, 'text' and X'…' are allowed", at: start)
            }
        }
    }

    /// `NULL` (any case) at `offset`, not followed by a name character.
    private func isNull(at offset: Int) -> Bool {
        guard offset + 4 <= bytes.count else { return false }
        guard bytes[offset] | 0x20 == 0x6E, bytes[offset + 1] | 0x20 == 0x75,
            bytes[offset + 2] | 0x20 == 0x6C, bytes[offset + 3] | 0x20 == 0x6C
        else { return false }
        return offset + 4 == bytes.count || !Self.isWordByte(bytes[offset + 4])
    }

    private mutating func text(into row: inout ParsedRow) throws {
        index += 1
        let start = index
        var escaped = false
        let base = bytes.baseAddress!
        while index < bytes.count {
            // The closing quote, found by memchr (strings can be long).
            guard let found = memchr(base + index, 0x27, bytes.count - index) else {
                index = bytes.count
                break
            }
            index = base.distance(to: UnsafeRawPointer(found))
            if index + 1 < bytes.count, bytes[index + 1] == 0x27 {
                escaped = true
                index += 2
                continue
            }
            break
        }
        guard index < bytes.count else { throw error("unclosed string") }
        let end = index
        index += 1
        if !escaped {
            row.values.append(.init(kind: .text, start: start, length: end - start))
            return
        }
        let decodedStart = row.decoded.count
        var i = start
        while i < end {
            row.decoded.append(bytes[i])
            i += bytes[i] == 0x27 ? 2 : 1
        }
        row.values.append(
            .init(kind: .text, start: decodedStart, length: row.decoded.count - decodedStart, isDecoded: true))
    }

    private mutating func hex(into row: inout ParsedRow, kind: SQLValueKind) throws {
        index += 1  // the quote
        let decodedStart = row.decoded.count
        while index < bytes.count, bytes[index] != 0x27 {
            guard index + 1 < bytes.count, let high = Self.nibble(bytes[index]), let low = Self.nibble(bytes[index + 1])
            else {
                throw error("X'…' must hold an even number of hexadecimal digits")
            }
            row.decoded.append(high << 4 | low)
            index += 2
        }
        guard index < bytes.count else { throw error("unclosed X'…'") }
        index += 1
        row.values.append(
            .init(kind: kind, start: decodedStart, length: row.decoded.count - decodedStart, isDecoded: true))
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x37
        case 0x61...0x66: return byte - 0x57
        default: return nil
        }
    }

    private mutating func number(into row: inout ParsedRow) throws {
        let start = index
        var negative = false
        if bytes[index] == 0x2D || bytes[index] == 0x2B {
            negative = bytes[index] == 0x2D
            index += 1
        }
        // The common case, a plain integer, is read in the same pass as it is scanned.
        var magnitude: UInt64 = 0
        var fits = true
        while index < bytes.count {
            let digit = bytes[index] &- 0x30
            guard digit <= 9 else { break }
            let (multiplied, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(UInt64(digit))
            fits = fits && !overflow1 && !overflow2
            magnitude = added
            index += 1
        }
        if fits, index > start + (negative || bytes[start] == 0x2B ? 1 : 0),
            index == bytes.count || (bytes[index] != 0x2E && bytes[index] | 0x20 != 0x65)
        {
            if negative && magnitude <= UInt64(Int64.max) + 1 {
                row.values.append(
                    .init(kind: .integer, integer: magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)))
                return
            }
            if !negative && magnitude <= UInt64(Int64.max) {
                row.values.append(.init(kind: .integer, integer: Int64(magnitude)))
                return
            }
        }
        index = start
        if bytes[index] == 0x2D || bytes[index] == 0x2B { index += 1 }
        var isReal = false
        var digits = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x30 && byte <= 0x39 {
                digits += 1
                index += 1
            } else if byte == 0x2E || byte == 0x65 || byte == 0x45 {
                isReal = true
                index += 1
                if byte == 0x65 || byte == 0x45, index < bytes.count, bytes[index] == 0x2D || bytes[index] == 0x2B {
                    index += 1
                }
            } else {
                break
            }
        }
        guard digits > 0 else { throw error("expected a number") }
        if !isReal, let value = Self.parseInteger(UnsafeRawBufferPointer(rebasing: bytes[start..<index])) {
            row.values.append(.init(kind: .integer, integer: value))
            return
        }
        // Reals, and integers too large for 64 bits (read as reals, as SQLite does).
        var text = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        text.append(0)
        var end: UnsafeMutablePointer<CChar>?
        let value = text.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { strtod($0.baseAddress!, &end) }
        }
        row.values.append(.init(kind: .real, real: value))
    }

    private static func parseInteger(_ text: UnsafeRawBufferPointer) -> Int64? {
        var negative = false
        var index = 0
        if text[0] == 0x2D {
            negative = true
            index = 1
        } else if text[0] == 0x2B {
            index = 1
        }
        var magnitude: UInt64 = 0
        while index < text.count {
            let (multiplied, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(UInt64(text[index] - 0x30))
            if overflow1 || overflow2 { return nil }
            magnitude = added
            index += 1
        }
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return .min }
            return magnitude <= UInt64(Int64.max) ? -Int64(magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }
}
