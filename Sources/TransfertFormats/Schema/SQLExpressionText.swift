import Foundation
import TransfertModel

/// Expressions of a schema (CHECK, DEFAULT, index terms, WHERE, views, trigger bodies) are carried as
/// SQL text rebuilt from their tokens: canonical spacing, names re-quoted, strings re-escaped. Two
/// schemas that declare the same expression compare equal however the source spaced it.
///
/// The text comes from archives, which are hostile until proven otherwise: statements and functions that
/// reach outside the database (`ATTACH`, `PRAGMA`, `load_extension()`, `readfile()`…) are refused wherever
/// an expression is allowed.
public enum SQLExpressionText {
    /// Words an expression may never hold, whatever the engine.
    static let forbiddenWords: Set<String> = [
        "ATTACH", "DETACH", "PRAGMA", "VACUUM", "REINDEX", "ANALYZE",
        "LOAD_EXTENSION", "READFILE", "WRITEFILE", "EDIT", "FTS3_TOKENIZER", "ZIPFILE", "SQLAR_UNCOMPRESS",
        "LOAD_FILE", "SLEEP", "BENCHMARK", "OUTFILE", "DUMPFILE",
    ]

    /// Words after which `(` is written with a space (`IN (…)`), rather than as a call (`lower(…)`).
    static let spacedBeforeParenthesis: Set<String> = [
        "IN", "AND", "OR", "NOT", "EXISTS", "WHEN", "THEN", "ELSE", "IS", "AS", "ON", "BETWEEN", "LIKE", "GLOB",
        "SELECT", "FROM", "WHERE", "VALUES", "CASE", "BEGIN", "END", "JOIN", "USING", "BY", "HAVING", "UNION",
        "ALL", "DISTINCT", "SET", "INTO", "OF", "RETURN", "ESCAPE", "REGEXP", "MATCH",
    ]

    /// Refuses forbidden words and, unless `allowSemicolons` (trigger bodies), statement separators.
    static func validate(_ tokens: ArraySlice<SQLToken>, allowSemicolons: Bool = false) throws(SchemaSyntaxError) {
        for token in tokens {
            if token.kind == .word, forbiddenWords.contains(token.keyword) {
                throw SchemaSyntaxError(
                    offset: token.offset, message: "\(token.text) is not allowed in a schema expression")
            }
            if !allowSemicolons, token.kind == .symbol, token.text == ";" {
                throw SchemaSyntaxError(offset: token.offset, message: "';' is not allowed inside an expression")
            }
        }
    }

    /// The canonical text of `tokens`.
    public static func render(_ tokens: ArraySlice<SQLToken>) -> String {
        var text = ""
        var previous: SQLToken?
        var previousIsUnarySign = false
        for token in tokens {
            if let previous, !previousIsUnarySign, needsSpace(between: previous, and: token) { text += " " }
            let isSign = token.kind == .symbol && (token.text == "-" || token.text == "+")
            // A sign after nothing, an operator, '(' , ',' or a keyword is unary: written against its operand.
            previousIsUnarySign =
                isSign
                && (previous.map { p in
                    (p.kind == .symbol && p.text != ")")
                        || (p.kind == .word && spacedBeforeParenthesis.contains(p.keyword))
                } ?? true)
            text += token.sql
            previous = token
        }
        return text
    }

    private static func needsSpace(between previous: SQLToken, and token: SQLToken) -> Bool {
        if previous.kind == .symbol, previous.text == "(" || previous.text == "." { return false }
        if token.kind == .symbol {
            switch token.text {
            case ")", ",", ".", ";": return false
            case "(":
                return !(previous.isName && !spacedBeforeParenthesis.contains(previous.keyword))
            default: break
            }
        }
        return true
    }
}
