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
        if case .null = literal { return .success(.null) }
        if type.isBlob {
            switch literal {
            case .bytes(let bytes): return .success(.blob(Data(bytes)))
            case .string(let text), .number(let text): return .success(.blob(Data(text.utf8)))
            case .null: return .success(.null)
            }
        }
        let text: String
        switch literal {
        case .bytes: return .failure("the value is not valid UTF-8, though the dump's connection is utf8")
        case .string(let value), .number(let value): text = value
        case .null: return .success(.null)
        }
        if type.isInteger {
            guard isInteger(text), let value = Int64(text) else {
                return .failure(Int64(text) == nil && isInteger(text) ? "\(text) is beyond 64 bits" : "'\(text)' is not an integer, as column type \(type.text) needs")
            }
            if let range = type.integerRange, !range.contains(value) {
                return .failure("\(value) is out of the range of \(type.text) (\(range.lowerBound)…\(range.upperBound))")
            }
            return .success(.integer(value))
        }
        if type.isReal {
            guard let value = Double(text), value.isFinite, isDecimal(text) else { return .failure("'\(text)' is not a number, as column type \(type.text) needs") }
            return .success(.real(value))
        }
        if type.base == "enum", !text.isEmpty, !type.values.contains(text) {
            return .failure("'\(text)' is not one of the values of \(type.text)")
        }
        if let problem = lengthProblem(text, type) ?? formatProblem(text, type) { return .failure(problem) }
        return .success(.text(text))
    }

    /// What MySQL would have cut: more characters than `char(n)`/`varchar(n)`, more bytes than a text type.
    static func lengthProblem(_ text: String, _ type: MySQLColumnType) -> String? {
        if (type.base == "char" || type.base == "varchar"), let limit = type.arguments.first, text.count > limit {
            return "'\(text.prefix(40))…' has \(text.count) characters, more than \(type.text) holds"
        }
        let bytes: [String: Int] = ["tinytext": 255, "text": 65_535, "mediumtext": 16_777_215]
        if let limit = bytes[type.base], text.utf8.count > limit {
            return "a value of \(text.utf8.count) bytes is more than \(type.text) holds (\(limit))"
        }
        return nil
    }

    /// Dates, times and decimals as MySQL prints them: anything else it would have stored changed.
    static func formatProblem(_ text: String, _ type: MySQLColumnType) -> String? {
        let pattern: String
        switch type.base {
        case "date": pattern = #"^\d{4}-\d{2}-\d{2}$"#
        case "datetime", "timestamp": pattern = #"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$"#
        case "time": pattern = #"^-?\d{1,3}:\d{2}:\d{2}(\.\d{1,6})?$"#
        case "decimal", "numeric":
            let precision = type.arguments.first ?? 10, scale = type.arguments.count > 1 ? type.arguments[1] : 0
            guard text.range(of: #"^-?\d+(\.\d+)?$"#, options: .regularExpression) != nil else {
                return "'\(text)' is not a decimal number, as \(type.text) needs"
            }
            let parts = text.drop { $0 == "-" }.split(separator: ".", omittingEmptySubsequences: false)
            let integer = parts[0].drop { $0 == "0" }.count, fraction = parts.count > 1 ? parts[1].count : 0
            return fraction > scale || integer > precision - scale ? "'\(text)' does not fit \(type.text) (MySQL would round it)" : nil
        default: return nil
        }
        return text.range(of: pattern, options: .regularExpression) == nil ? "'\(text)' is not a \(type.base) as MySQL writes it" : nil
    }

    static func isInteger(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") ? text.utf8.dropFirst() : Substring(text).utf8[...]
        return !digits.isEmpty && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    static func isDecimal(_ text: String) -> Bool {
        text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 | 0x20 == 0x65 }
    }
}
