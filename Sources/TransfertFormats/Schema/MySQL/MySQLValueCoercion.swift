import Foundation
import TransfertModel

/// How MySQL stores a dumped value in a column of a given type — what a restore must store too.
///
/// SACoche's writers quote or not by the *value*, not by the column (FORMAT.md §4): `3` may land in a
/// `varchar` (it is the text `3`) and `"12"` in an `int` (it is the integer 12). So each value is read
/// by its column's type. What a MySQL server in strict mode (MariaDB 10.11's default) would have refused
/// — or stored changed, which is worse: nothing is lost silently — is refused here, with the reason:
///
/// - `NULL` in a `NOT NULL` column;
/// - integers: not an integer, beyond 64 bits, out of the type's range (signed or unsigned); `year`
///   other than 0 and 1901…2155;
/// - reals: not a finite number; a `float` keeps single precision only;
/// - `decimal(p,s)`: more digits than it holds (MySQL would round);
/// - `char(n)`/`varchar(n)`: more than n characters; `char` drops trailing spaces;
/// - text and blob types, `(var)binary(n)`: more bytes than they hold; `binary(n)` pads with zero bytes;
/// - characters the column's charset has not (4-byte UTF-8 such as emoji in `utf8`/`utf8mb3`); not UTF-8;
/// - `enum`/`set`: not a member (`''` belongs to every enum); a set's members twice or out of order;
/// - `date`, `datetime`, `timestamp`, `time`: not as MySQL writes them, or impossible (`2017-02-30`,
///   `25:00:00`), a fraction the column does not keep, a `timestamp` outside 1970…2038. Zero dates
///   (`0000-00-00`) are what MariaDB's default mode keeps and are accepted.
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
        case .null:
            return rule.notNull ? .failure("NULL in a NOT NULL column: MySQL refuses it") : .success(.null)
        case .bytes(let bytes):
            if case .blob = rule.storage {
                if let problem = binaryProblem(bytes.count, rule) { return .failure(problem) }
                return .success(.blob(Data(bytes)))
            }
            return .failure("the value is not valid UTF-8, though the dump's connection is utf8")
        case .string(let value), .number(let value): text = value
        }
        switch rule.storage {
        case .blob:
            if let problem = binaryProblem(text.utf8.count, rule) { return .failure(problem) }
            return .success(.blob(Data(text.utf8)))
        case .integer(let range):
            guard isInteger(text), let value = Int64(text) else {
                return .failure(
                    isInteger(text)
                        ? "\(text) is beyond 64 bits"
                        : "'\(text)' is not an integer, as column type \(rule.type.text) needs")
            }
            if let range, !range.contains(value) {
                return .failure(
                    "\(value) is out of the range of \(rule.type.text) (\(range.lowerBound)…\(range.upperBound))")
            }
            if case .year = rule.format, value != 0, !(1901...2155).contains(value) {
                return .failure("\(value) is not a year MySQL keeps (0 or 1901…2155; it turns 1…99 into 1970…2069)")
            }
            return .success(.integer(value))
        case .real:
            guard let value = Double(text), value.isFinite, isDecimal(text) else {
                return .failure("'\(text)' is not a number, as column type \(rule.type.text) needs")
            }
            if let problem = realProblem(value, text: text, rule) { return .failure(problem) }
            return .success(.real(value))
        case .text:
            if let values = rule.enumValues, !text.isEmpty, !values.contains(text) {
                return .failure("'\(text)' is not one of the values of \(rule.type.text)")
            }
            if let problem = characterProblem(text, rule) ?? lengthProblem(text, rule) ?? formatProblem(text, rule) {
                return .failure(problem)
            }
            return .success(.text(text))
        }
    }

    /// What MySQL would have cut: more characters than `char(n)`/`varchar(n)` (MySQL counts code points),
    /// more bytes than a text type; the trailing spaces `char` drops.
    static func lengthProblem(_ text: String, _ rule: MySQLColumnRule) -> String? {
        if let limit = rule.characterLimit, text.utf8.count > limit {
            let characters = text.unicodeScalars.count  // only when the bytes alone do not settle it
            if characters > limit {
                return "'\(text.prefix(40))…' has \(characters) characters, more than \(rule.type.text) holds"
            }
        }
        if let limit = rule.byteLimit {
            let bytes = byteCount(text, rule)
            if bytes > limit { return "a value of \(bytes) bytes is more than \(rule.type.text) holds (\(limit))" }
        }
        if rule.type.base == "char", text.utf8.last == 0x20 {
            return
                "'\(text.prefix(40))' ends with a space, which MySQL drops from a char column (make the column varchar, or remove the space)"
        }
        return nil
    }

    /// The bytes `text` takes in the column's charset (one per character in latin1 and ascii).
    static func byteCount(_ text: String, _ rule: MySQLColumnRule) -> Int {
        switch rule.repertoire {
        case .latin1, .ascii: return text.unicodeScalars.count
        case .any, .basicMultilingualPlane: return text.utf8.count
        }
    }

    static func binaryProblem(_ count: Int, _ rule: MySQLColumnRule) -> String? {
        guard let limit = rule.byteLimit else { return nil }
        if count > limit { return "a value of \(count) bytes is more than \(rule.type.text) holds (\(limit))" }
        if rule.type.base == "binary", count < limit {
            return
                "a value of \(count) bytes in \(rule.type.text): MySQL pads it with zero bytes to \(limit), so it would come back changed"
        }
        return nil
    }

    /// Characters the column's charset cannot hold: MySQL in strict mode refuses the row ("Incorrect
    /// string value").
    static func characterProblem(_ text: String, _ rule: MySQLColumnRule) -> String? {
        let charset = rule.charset ?? "utf8"
        switch rule.repertoire {
        case .any:
            return nil
        case .basicMultilingualPlane:
            // A scalar beyond U+FFFF is the only one whose UTF-8 starts with 0xF0…0xF4.
            guard text.utf8.contains(where: { $0 >= 0xF0 }),
                let scalar = text.unicodeScalars.first(where: { $0.value > 0xFFFF })
            else { return nil }
            return
                "'\(text.prefix(40))' holds \(display(scalar)), a 4-byte UTF-8 character (emoji, rare ideograms) that a \(charset) column cannot hold (utf8mb4 can)"
        case .latin1:
            guard let scalar = text.unicodeScalars.first(where: { !isLatin1($0) }) else { return nil }
            return "'\(text.prefix(40))' holds \(display(scalar)), which a latin1 column cannot hold"
        case .ascii:
            guard let scalar = text.unicodeScalars.first(where: { !$0.isASCII }) else { return nil }
            return "'\(text.prefix(40))' holds \(display(scalar)), which an ascii column cannot hold"
        }
    }

    static func display(_ scalar: Unicode.Scalar) -> String {
        "'\(Character(scalar))' (U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4) + ")"
    }

    /// MySQL's latin1 is Windows-1252, with its five unassigned bytes kept as the C1 controls they name.
    static func isLatin1(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 || (0xA0...0xFF).contains(value) { return true }
        return [
            0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x20AC, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030,
            0x0160,
            0x2039, 0x0152, 0x017D, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161,
            0x203A,
            0x0153, 0x017E, 0x0178,
        ].contains(value)
    }

    /// A real MySQL would store changed: beyond a `float`'s single precision or range, or more digits
    /// than `float(m,d)`/`double(m,d)` keep.
    static func realProblem(_ value: Double, text: String, _ rule: MySQLColumnRule) -> String? {
        if rule.type.arguments.count == 2 {
            let shown = MySQLLiteral.realText(value)
            if decimalProblem(shown, precision: rule.type.arguments[0], scale: rule.type.arguments[1], type: rule.type)
                != nil
            {
                return "\(shown) does not fit \(rule.type.text) (MySQL would round it)"
            }
        }
        guard rule.type.base == "float" else { return nil }
        if abs(value) > Double(Float.greatestFiniteMagnitude) { return "\(text) is out of the range of a float" }
        // Kept: a value a float holds exactly (what a MariaDB server reads back, widened to a double), or
        // one whose shortest single-precision text is itself (`0.1`, as a dump writes it).
        let single = Float(value)
        if Double(single) != value && Double(single.description) != value {
            return "\(text) has more precision than a float keeps: MySQL would store \(single.description)"
        }
        return nil
    }

    /// Dates, times, decimals and sets as MySQL writes them, and possible: anything else it would have
    /// refused or stored changed.
    static func formatProblem(_ text: String, _ rule: MySQLColumnRule) -> String? {
        switch rule.format {
        case .free, .year: return nil
        case .date:
            guard matches(text, "dddd-dd-dd", fraction: 0) else { return shapeProblem(text, rule) }
            return dateProblem(text, rule, timestamp: false)
        case .datetime(let fraction), .timestamp(let fraction):
            let timestamp: Bool
            if case .timestamp = rule.format { timestamp = true } else { timestamp = false }
            guard matches(text, "dddd-dd-dd dd:dd:dd", fraction: 6) else { return shapeProblem(text, rule) }
            if let problem = fractionProblem(text, after: 19, keeps: fraction, rule) { return problem }
            return dateProblem(text, rule, timestamp: timestamp) ?? clockProblem(text, from: 11, rule, hoursUpTo: 23)
        case .time(let fraction):
            let body = text.hasPrefix("-") ? String(text.dropFirst()) : text
            guard let shape = ["d:dd:dd", "dd:dd:dd", "ddd:dd:dd"].first(where: { matches(body, $0, fraction: 6) })
            else { return shapeProblem(text, rule) }
            if let problem = fractionProblem(body, after: shape.utf8.count, keeps: fraction, rule) { return problem }
            let hoursDigits = shape.utf8.count - 6
            return clockProblem(body, from: 0, rule, hoursUpTo: 838, hoursDigits: hoursDigits)
        case .decimal(let precision, let scale):
            return decimalProblem(text, precision: precision, scale: scale, type: rule.type)
        case .set(let members):
            return setProblem(text, members: members, rule)
        }
    }

    static func shapeProblem(_ text: String, _ rule: MySQLColumnRule) -> String {
        "'\(text.prefix(40))' is not a \(rule.type.base) as MySQL writes it"
    }

    /// Digits after the seconds beyond what the column keeps: MySQL rounds them away.
    static func fractionProblem(_ text: String, after length: Int, keeps: Int, _ rule: MySQLColumnRule) -> String? {
        let digits = max(0, text.utf8.count - length - 1)
        return digits > keeps
            ? "'\(text)' has \(digits) digits after the seconds where \(rule.type.text) keeps \(keeps): MySQL would round them"
            : nil
    }

    /// Month and day of `YYYY-MM-DD` at the start of `text`: a day the month does not have is refused
    /// (`2017-02-30`); zeros are what MariaDB's default mode keeps (`0000-00-00`, `2017-00-00`), except
    /// in a `timestamp`, which holds 1970…2038 or the zero date only.
    static func dateProblem(_ text: String, _ rule: MySQLColumnRule, timestamp: Bool) -> String? {
        let bytes = Array(text.utf8)
        let year = number(bytes, 0, 4)
        let month = number(bytes, 5, 2)
        let day = number(bytes, 8, 2)
        if month > 12 { return "'\(text)': month \(month) does not exist" }
        if month > 0 && day > 0 && day > daysIn(month: month, year: year) {
            return "'\(text)': \(year)-\(String(month).leftPadded(to: 2, with: "0")) has no day \(day)"
        }
        if day > 31 { return "'\(text)': day \(day) does not exist" }
        if timestamp && bytes.contains(where: { (0x31...0x39).contains($0) }) {  // the zero value is allowed
            if year < 1970 || year > 2038 || month == 0 || day == 0 {
                return "'\(text)' is outside what a timestamp holds (1970-01-01 … 2038-01-19, or 0000-00-00 00:00:00)"
            }
        }
        return nil
    }

    /// `hh:mm:ss` starting at `offset`: minutes and seconds below 60, hours up to `hoursUpTo`.
    static func clockProblem(
        _ text: String, from offset: Int, _ rule: MySQLColumnRule, hoursUpTo: Int, hoursDigits: Int = 2
    ) -> String? {
        let bytes = Array(text.utf8)
        let hours = number(bytes, offset, hoursDigits)
        let minutes = number(bytes, offset + hoursDigits + 1, 2)
        let seconds = number(bytes, offset + hoursDigits + 4, 2)
        if hours > hoursUpTo || minutes > 59 || seconds > 59 {
            return
                "'\(text)' is not a time \(rule.type.base) holds (hours up to \(hoursUpTo), minutes and seconds up to 59)"
        }
        return nil
    }

    static func number(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int {
        bytes[start..<(start + count)].reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// A set's value: comma-separated members of the list, each once, in the list's order (MySQL stores
    /// the members in declaration order and drops repeats: anything else would come back changed).
    static func setProblem(_ text: String, members: [String], _ rule: MySQLColumnRule) -> String? {
        guard !text.isEmpty else { return nil }
        var last = -1
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let position = members.firstIndex(of: String(part)) else {
                return "'\(part)' is not one of the values of \(rule.type.text)"
            }
            guard position > last else {
                return
                    "'\(text)' lists the members of \(rule.type.text) twice or out of their order: MySQL would store them reordered"
            }
            last = position
        }
        return nil
    }

    /// `pattern`'s `d` is a digit, anything else itself; `.` and 1 to `fraction` digits may follow.
    static func matches(_ text: String, _ pattern: String, fraction: Int) -> Bool {
        let bytes = Array(text.utf8)
        let shape = Array(pattern.utf8)
        guard bytes.count >= shape.count else { return false }
        for (byte, expected) in zip(bytes, shape) {
            if expected == UInt8(ascii: "d") {
                guard byte >= 0x30 && byte <= 0x39 else { return false }
            } else if byte != expected {
                return false
            }
        }
        let rest = bytes[shape.count...]
        if rest.isEmpty { return true }
        guard fraction > 0, rest.first == UInt8(ascii: "."), (2...(fraction + 1)).contains(rest.count) else {
            return false
        }
        return rest.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// A decimal that `decimal(p,s)` holds without rounding.
    static func decimalProblem(_ text: String, precision: Int, scale: Int, type: MySQLColumnType) -> String? {
        let unsigned = text.hasPrefix("-") ? Substring(text.dropFirst()) : Substring(text)
        let parts = unsigned.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty,
            parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }),
            parts.count == 1 || !parts[1].isEmpty
        else {
            return "'\(text)' is not a decimal number, as \(type.text) needs"
        }
        if type.unsigned && text.hasPrefix("-") && parts.contains(where: { $0.contains { $0 != "0" } }) {
            return "'\(text)' is negative, which \(type.text) refuses"
        }
        let integer = parts[0].drop { $0 == "0" }.count
        let fraction = parts.count > 1 ? parts[1].count : 0
        return fraction > scale || integer > precision - scale
            ? "'\(text)' does not fit \(type.text) (MySQL would round it)" : nil
    }

    static func isInteger(_ text: String) -> Bool {
        let digits = text.hasPrefix("-") ? text.utf8.dropFirst() : Substring(text).utf8[...]
        return !digits.isEmpty && digits.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    static func isDecimal(_ text: String) -> Bool {
        text.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 | 0x20 == 0x65
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
