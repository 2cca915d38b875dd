import Foundation
import TransfertModel

/// How MySQL text quotes names and strings.
public enum MySQLQuoting {
    /// A name in backquotes, backquotes doubled (ANSI double quotes are off by default).
    public static func identifier(_ name: String) -> String {
        "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
    }

    /// A string as MySQL's `append_unescaped` writes it in `SHOW CREATE TABLE`.
    public static func shown(_ text: String) -> String {
        var result = "'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "'": result += "''"
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\0": result += "\\0"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "'"
    }

    /// A string with only `'` and `\` escaped: every other byte is taken as written.
    public static func minimal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A neutral DEFAULT literal (`0`, `'text'`) as the text MySQL shows between quotes.
    public static func unquoted(_ literal: String) -> String {
        guard literal.hasPrefix("'"), literal.hasSuffix("'"), literal.count >= 2 else { return literal }
        return String(literal.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'")
    }
}
