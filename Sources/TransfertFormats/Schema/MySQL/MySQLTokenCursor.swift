import Foundation
import TransfertModel

/// Walks the tokens of one MySQL statement.
public struct MySQLTokenCursor {
    let tokens: [MySQLToken]
    let entry: String
    private(set) var index = 0

    init(tokens: [MySQLToken], entry: String) {
        self.tokens = tokens
        self.entry = entry
    }

    var current: MySQLToken? { index < tokens.count ? tokens[index] : nil }
    var isAtEnd: Bool { index >= tokens.count }

    mutating func advance() { index += 1 }

    func error(_ message: String, at token: MySQLToken? = nil) -> MySQLSyntaxError {
        let place = token ?? current ?? tokens.last
        return MySQLSyntaxError(entry: entry, line: place?.line ?? 1, column: place?.column ?? 1, message: message)
    }

    var found: String { current.map { ", found '\($0.text)'" } ?? ", found the end of the statement" }

    func peekWord(_ word: String) -> Bool { current?.keyword == word }

    mutating func acceptWord(_ word: String) -> Bool {
        guard peekWord(word) else { return false }
        index += 1
        return true
    }

    mutating func acceptWords(_ words: [String]) -> Bool {
        guard index + words.count <= tokens.count else { return false }
        for (offset, word) in words.enumerated() where tokens[index + offset].keyword != word { return false }
        index += words.count
        return true
    }

    mutating func expectWord(_ word: String) throws(MySQLSyntaxError) {
        guard acceptWord(word) else { throw error("expected \(word)\(found)") }
    }

    mutating func acceptSymbol(_ symbol: String) -> Bool {
        guard let token = current, token.kind == .symbol, token.text == symbol else { return false }
        index += 1
        return true
    }

    mutating func expectSymbol(_ symbol: String) throws(MySQLSyntaxError) {
        guard acceptSymbol(symbol) else { throw error("expected '\(symbol)'\(found)") }
    }

    mutating func name(_ what: String) throws(MySQLSyntaxError) -> String {
        guard let token = current, token.isName else { throw error("expected the \(what) name\(found)") }
        index += 1
        return token.text
    }

    mutating func string(_ what: String) throws(MySQLSyntaxError) -> String {
        guard let token = current, token.isString else { throw error("expected \(what) (a quoted string)\(found)") }
        index += 1
        return token.text
    }

    /// `( name, name … )`, each name optionally with a prefix length `name(10)`, which is refused.
    mutating func nameList(_ what: String) throws(MySQLSyntaxError) -> [String] {
        try expectSymbol("(")
        var names: [String] = []
        repeat {
            names.append(try name(what))
            if acceptSymbol("(") {
                throw error("a key on a prefix of \(names.last!) is not supported: other engines index whole values")
            }
        } while acceptSymbol(",")
        try expectSymbol(")")
        return names
    }
}
