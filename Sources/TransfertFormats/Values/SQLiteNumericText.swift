import Foundation
import TransfertModel

/// Which texts SQLite reads as numbers when it applies a numeric affinity (INTEGER, REAL, NUMERIC) to
/// them: the acceptance rule of its `sqlite3AtoF` (SQLite's `util.c`), whose positive answer makes
/// `applyNumericAffinity` store the text as an integer or a real.
///
/// A number is: optional whitespace (space, tab, LF, VT, FF, CR), an optional sign, digits with an
/// optional `.` (at least one digit in all: `5.`, `.5`), an optional exponent `e`/`E`, sign, at least one
/// digit, and optional whitespace — nothing else. `0x10`, `1e`, `1e+`, `-`, `.`, `1 2`, `Inf` and
/// non-ASCII digits are not numbers and stay text. `SQLiteAffinityTests` checks this rule against the
/// SQLite the program is linked with, over generated texts.
public enum SQLiteNumericText {
    /// Whether SQLite converts the UTF-8 text `bytes` when storing it under a numeric affinity.
    public static func isNumber(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let count = bytes.count
        var index = 0
        while index < count, isSpace(bytes[index]) { index += 1 }
        guard index < count else { return false }
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
        var digits = 0
        while index < count, isDigit(bytes[index]) {
            index += 1
            digits += 1
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, isDigit(bytes[index]) {
                index += 1
                digits += 1
            }
        }
        guard digits > 0 else { return false }
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { index += 1 }
            var exponentDigits = 0
            while index < count, isDigit(bytes[index]) {
                index += 1
                exponentDigits += 1
            }
            guard exponentDigits > 0 else { return false }
        }
        while index < count, isSpace(bytes[index]) { index += 1 }
        return index == count
    }

    /// SQLite's `sqlite3Isspace`: space and the ASCII controls TAB…CR.
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}
