import Foundation
import TransfertModel

/// One token of schema SQL (DDL), with the byte offset where it starts in its statement.
public struct SQLToken: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A bare word: a keyword or an unquoted name, as written.
        case word
        /// A quoted name (`"…"`, `` `…` `` or `[…]`); `text` is the name without quotes.
        case quotedName
        /// `'…'`; `text` is the value without quotes.
        case string
        /// `X'…'`; `text` is the hexadecimal digits, upper-cased.
        case blob
        case number
        /// Punctuation and operators: `(`, `)`, `,`, `;`, `.`, `=`, `<>`, `||`…
        case symbol
        /// A `-- transfert-mysql {…}` comment (``MySQLTableDefinition/annotation``); `text` is the JSON.
        /// Only produced when asked for.
        case annotation
    }

    public var kind: Kind
    public var text: String
    public var offset: Int

    /// The upper-cased word, or "" for any other kind of token.
    public var keyword: String { kind == .word ? text.uppercased() : "" }

    /// A name: a bare word or a quoted name.
    public var isName: Bool { kind == .word || kind == .quotedName }

    /// The token in canonical SQL text: names in double quotes when quoted, strings re-quoted.
    public var sql: String {
        switch kind {
        case .word, .number, .symbol: return text
        case .quotedName: return quoteIdentifier(text)
        case .string: return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        case .blob: return "X'" + text + "'"
        case .annotation: return "-- " + MySQLTableDefinition.annotationPrefix + text + "\n"
        }
    }
}

/// The error of a schema statement that cannot be read, at a byte offset of the statement.
public struct SchemaSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var offset: Int
    public var message: String
    public var description: String { message }
}

extension SchemaSyntaxError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode { .schemaSyntax }
}
