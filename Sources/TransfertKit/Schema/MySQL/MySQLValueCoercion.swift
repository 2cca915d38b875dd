import Foundation

/// A value as a MySQL dump writes it, before the column's type gives it its meaning.
public enum MySQLLiteral: Equatable, Sendable {
    case null
    /// A bare number, sign included (`12`, `-3`, `1.5`).
    case number(String)
    /// A quoted string, escapes decoded, valid UTF-8.
    case string(String)
    /// A quoted string whose bytes are not UTF-8.
    case bytes([UInt8])
}

/// How MySQL stores a dumped value in a column of a given type — what a restore must store too.
///
/// SACoche's writers quote or not by the *value*, not by the column (FORMAT.md §4): `3` may land in a
/// `varchar` (it is the text `3`) and `"12"` in an `int` (it is the integer 12). So each value is read
/// by its column's type: integers must be integers within the type's range, reals numbers, text valid
/// UTF-8 (the dump connection is `SET NAMES utf8`), enum values members of the list. What MySQL would
/// have refused or silently changed is refused here, with the reason.
public enum MySQLValueCoercion {
    /// The stored value, or why MySQL could not have stored it.
    public enum Outcome: Equatable, Sendable {
        case success(SQLValue)
        case failure(String)
    }

    public static func coerce(_ literal: MySQLLiteral, to type: MySQLColumnType) -> Outcome {
        coerce(literal, rule: MySQLColumnRule(type))
    }

    /// The same, with the column's rule worked out beforehand (``MySQLColumnRule``).
    public static func coerce(_ literal: MySQLLiteral, rule: MySQLColumnRule) -> Outcome {
        let text: String
        switch literal {
        case .null: return .success(.null)
        case .bytes(let bytes):
            if case .blob = rule.storage { return .success(.blob(Data(bytes))) }
            return .failure("the value is not valid UTF-8, though the dump's connection is utf8")
        case .string(let value), .number(let value): text = value
        }
        switch rule.storage {
        case .blob:
            return .success(.blob(Data(text.utf8)))
        case .integer(let range):
            guard isInteger(text), let value = Int64(text) else {
                return .failure(isInteger(text) ? "\(text) is beyond 64 bits" : "'\(text)' is not an integer, as column type \(rule.type.text) needs")
            }
            if let range, !range.contains(value) {
                return .failure("\(value) is out of the range of \(rule.type.text) (\(range.lowerBound)…\(range.upperBound))")
            }
            return .success(.integer(value))
        case .real:
            guard let value = Double(text), value.isFinite, isDecimal(text) else {
                return .failure("'\(text)' is not a number, as column type \(rule.type.text) needs")
            }
            return .success(.real(value))
        case .text:
            if let values = rule.enumValues, !text.isEmpty, !values.contains(text) {
                return .failure("'\(text)' is not one of the values of \(rule.type.text)")
            }
            if let problem = lengthProblem(text, rule) ?? formatProblem(text, rule) { return .failure(problem) }
            return .success(.text(text))
        }
    }

    /// What MySQL would have cut: more characters than `char(n)`/`varchar(n)` (MySQL counts code points),
    /// more bytes than a text type.
    static func lengthProblem(_ text: String, _ rule: MySQLColumnRule) -> String? {
        if let limit = rule.characterLimit, text.utf8.count > limit {
            let characters = text.unicodeScalars.count // only when the bytes alone do not settle it
            if characters > limit { return "'\(text.prefix(40))…' has \(characters) characters, more than \(rule.type.text) holds" }
        }
        if let limit = rule.byteLimit, text.utf8.count > limit {
            return "a value of \(text.utf8.count) bytes is more than \(rule.type.text) holds (\(limit))"
        }
        return nil
    }

    /// Dates, times and decimals as MySQL prints them: anything else it would have stored changed.
    static func formatProblem(_ text: String, _ rule: MySQLColumnRule) -> String? {
        let ok: Bool
        switch rule.format {
        case .free: return nil
        case .date: ok = matches(text, "dddd-dd-dd", fraction: false)
        case .datetime: ok = matches(text, "dddd-dd-dd dd:dd:dd", fraction: true)
        case .time:
            let body = text.hasPrefix("-") ? String(text.dropFirst()) : text
            ok = ["d:dd:dd", "dd:dd:dd", "ddd:dd:dd"].contains { matches(body, $0, fraction: true) }
        case .decimal(let precision, let scale):
            return decimalProblem(text, precision: precision, scale: scale, type: rule.type)
        }
        return ok ? nil : "'\(text)' is not a \(rule.type.base) as MySQL writes it"
    }

    /// `pattern`'s `d` is a digit, anything else itself; with `fraction`, `.` and 1 to 6 digits may follow.
    static func matches(_ text: String, _ pattern: String, fraction: Bool) -> Bool {
        let bytes = Array(text.utf8), shape = Array(pattern.utf8)
        guard bytes.count >= shape.count else { return false }
        for (byte, expected) in zip(bytes, shape) {
            if expected == UInt8(ascii: "d") { guard byte >= 0x30 && byte <= 0x39 else { return false } } else if byte != expected { return false }
        }
        let rest = bytes[shape.count...]
        if rest.isEmpty { return true }
        guard fraction, rest.first == UInt8(ascii: "."), (2...7).contains(rest.count) else { return false }
        return rest.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// A decimal that `decimal(p,s)` holds without rounding.
    static func decimalProblem(_ text: String, precision: Int, scale: Int, type: MySQLColumnType) -> String? {
        let unsigned = text.hasPrefix("-") ? Substring(text.dropFirst()) : Substring(text)
        let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
              parts.count == 1 || !parts[1].isEmpty else {
            return "'\(text)' is not a decimal number, as \(type.text) needs"
        }
        let integer = parts[0].drop { $0 == "0" }.count, fraction = parts.count > 1 ? parts[1].count : 0
        return fraction > scale || integer > precision - scale ? "'\(text)' does not fit \(type.text) (MySQL would round it)" : nil
    }

    static func isInteger(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") ? text.utf8.dropFirst() : Substring(text).utf8[...]
        return !digits.isEmpty && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    static func isDecimal(_ text: String) -> Bool {
        text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 | 0x20 == 0x65 }
    }
}
