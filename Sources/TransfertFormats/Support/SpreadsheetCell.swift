import Foundation
import TransfertModel

/// A value written into a CSV that a person opens in a spreadsheet (`.result.csv`), made safe from
/// formula injection: a cell whose text begins with `=`, `+`, `-`, `@`, a tab or a carriage return
/// (or their full-width forms, after leading spaces) is read as a formula by Excel and LibreOffice, and
/// the values come from someone else's bundle. OWASP's rule: such a cell is prefixed with `'`, which
/// spreadsheets show as text. A value that already begins with `'` gets one too, so that
/// ``restored(_:)`` gives back exactly what was written.
///
/// Not for the CSVs of a bundle, which programs parse (SACoche's importer, `transfert import`): those
/// keep their values byte for byte (`Docs/archive-format.md` §1).
public enum SpreadsheetCell {
    /// Characters that make a spreadsheet read a cell as a formula when they come first.
    static let formulaStarts: Set<Unicode.Scalar> = [
        "=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}",
    ]

    /// `value`, or `'` + `value` when a spreadsheet would read it as a formula (or it begins with `'`).
    public static func neutralised(_ value: String) -> String {
        needsPrefix(value) ? "'" + value : value
    }

    /// What ``neutralised(_:)`` was given: one leading `'` dropped where it added one.
    public static func restored(_ value: String) -> String {
        guard value.unicodeScalars.first == "'" else { return value }
        let rest = String(value.unicodeScalars.dropFirst())
        return needsPrefix(rest) ? rest : value
    }

    static func needsPrefix(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first(where: { $0 != " " && $0 != "\u{A0}" }) else { return false }
        return formulaStarts.contains(first) || value.unicodeScalars.first == "'"
    }
}
