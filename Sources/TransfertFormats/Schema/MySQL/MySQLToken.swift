import Foundation
import TransfertModel

/// One token of MySQL-dialect SQL, with where it starts.
public struct MySQLToken: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A bare word: keyword or unquoted name.
        case word
        /// `` `name` ``.
        case backquoted
        /// `'…'` (what `SHOW CREATE TABLE` writes); `text` is the value, escapes decoded.
        case singleQuoted
        /// `"…"` (what SACoche's dump writer writes for data); `text` is the value, escapes decoded.
        case doubleQuoted
        /// Digits, with an optional fraction and exponent; no sign (`-` is a symbol).
        case number
        case symbol
    }

    public var kind: Kind
    /// The word, symbol or number as written; a quoted value decoded. For quoted values that are not
    /// valid UTF-8, `bytes` holds the decoded bytes and `text` their lossy rendering.
    public var text: String
    public var bytes: [UInt8]?
    public var line: Int
    public var column: Int

    public var keyword: String { kind == .word ? text.uppercased() : "" }
    public var isName: Bool { kind == .word || kind == .backquoted }
    public var isString: Bool { kind == .singleQuoted || kind == .doubleQuoted }
}

/// Why MySQL-dialect SQL was refused, at an entry, line and column.
public struct MySQLSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var entry: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "\(entry) line \(line), column \(column): \(message)" }
}

extension MySQLSyntaxError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode { .mysqlSyntax }
}
