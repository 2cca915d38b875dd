import Foundation
import TransfertModel

/// Walks the tokens of one statement for ``SchemaStatementParser``.
struct TokenCursor {
    let tokens: [SQLToken]
    /// The byte offset just past the statement, for errors at its end.
    let endOffset: Int
    var index = 0

    var atEnd: Bool { index >= tokens.count }
    var current: SQLToken? { atEnd ? nil : tokens[index] }
    var offset: Int { current?.offset ?? endOffset }

    func error(_ message: String) -> SchemaSyntaxError { SchemaSyntaxError(offset: offset, message: message) }

    /// Whether the next token is the keyword `word` (case-insensitive, bare words only).
    func peek(_ word: String) -> Bool { current?.keyword == word }

    func peekSymbol(_ symbol: String) -> Bool { current?.kind == .symbol && current?.text == symbol }

    /// Consumes the keyword `word` if it comes next.
    mutating func accept(_ word: String) -> Bool {
        guard peek(word) else { return false }
        index += 1
        return true
    }

    /// Consumes the keywords `words` if they all come next, in order.
    mutating func accept(_ words: [String]) -> Bool {
        let saved = index
        for word in words where !accept(word) {
            index = saved
            return false
        }
        return true
    }

    mutating func acceptSymbol(_ symbol: String) -> Bool {
        guard peekSymbol(symbol) else { return false }
        index += 1
        return true
    }

    mutating func expect(_ word: String) throws(SchemaSyntaxError) {
        guard accept(word) else { throw error("expected \(word)\(found)") }
    }

    mutating func expectSymbol(_ symbol: String) throws(SchemaSyntaxError) {
        guard acceptSymbol(symbol) else { throw error("expected '\(symbol)'\(found)") }
    }

    /// ", found 'x'" for messages.
    var found: String { current.map { ", found '\($0.text)'" } ?? " at the end of the statement" }

    /// A name: a bare word or a quoted name. `schema.name` is refused: a dump only speaks of its own tables.
    mutating func name(_ what: String) throws(SchemaSyntaxError) -> String {
        guard let token = current, token.isName else { throw error("expected the \(what)'s name\(found)") }
        index += 1
        if peekSymbol(".") {
            throw SchemaSyntaxError(
                offset: token.offset,
                message: "the \(what) \(token.text) is qualified by a schema name, which is not allowed")
        }
        guard token.text.utf8.count <= 1024 else {
            throw SchemaSyntaxError(offset: token.offset, message: "a name longer than 1024 bytes")
        }
        return token.text
    }

    /// `(a, b, …)`: a parenthesised list of names.
    mutating func nameList(_ what: String) throws(SchemaSyntaxError) -> [String] {
        try expectSymbol("(")
        var names: [String] = []
        repeat {
            names.append(try name(what))
            if names.count > 2000 { throw error("more than 2000 names in a list") }
        } while acceptSymbol(",")
        try expectSymbol(")")
        return names
    }

    /// The tokens of a parenthesised group, after its `(` up to the matching `)` (both consumed).
    mutating func parenthesised() throws(SchemaSyntaxError) -> ArraySlice<SQLToken> {
        try expectSymbol("(")
        let start = index
        var depth = 1
        while let token = current {
            if token.kind == .symbol, token.text == "(" { depth += 1 }
            if token.kind == .symbol, token.text == ")" {
                depth -= 1
                if depth == 0 {
                    index += 1
                    return tokens[start..<index - 1]
                }
            }
            index += 1
        }
        throw error("unbalanced parentheses")
    }

    /// Tokens up to (not including) a `,` or `)` at depth 0, or the end.
    mutating func untilCommaOrClose() -> ArraySlice<SQLToken> {
        let start = index
        var depth = 0
        while let token = current {
            if token.kind == .symbol {
                if token.text == "(" { depth += 1 }
                if token.text == ")" {
                    if depth == 0 { break }
                    depth -= 1
                }
                if token.text == ",", depth == 0 { break }
            }
            index += 1
        }
        return tokens[start..<index]
    }

    /// The rest of the statement, without its final `;`.
    mutating func rest() -> ArraySlice<SQLToken> {
        var end = tokens.count
        if end > index, tokens[end - 1].kind == .symbol, tokens[end - 1].text == ";" { end -= 1 }
        let slice = tokens[index..<max(index, end)]
        index = tokens.count
        return slice
    }

    /// Only an optional `;` may remain.
    mutating func expectEnd() throws(SchemaSyntaxError) {
        _ = acceptSymbol(";")
        guard atEnd else { throw error("unexpected '\(current!.text)' at the end of the statement") }
    }
}
