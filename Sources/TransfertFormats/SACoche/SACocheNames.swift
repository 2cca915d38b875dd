import Foundation
import TransfertModel

/// The names SACoche gives a transfer's files (FORMAT.md §1–3, `Docs/sacoche.md`).
public enum SACocheNames {
    /// `dump_SACoche_<base>_<date>_<rand>.zip`: one inner ZIP per base, exactly as SACoche names it
    /// (FORMAT.md §2: `<base>` and `<rand>` digits, `<date>` PHP's `Y-m-d_H-i-s`). Anything else —
    /// `..`, a slash, a backslash, a control character, another shape — is not one of its names.
    public static func isInnerZip(_ name: String) -> Bool {
        name.range(
            of: #"^dump_SACoche_[0-9]{1,19}_[0-9]{4}-[0-9]{2}-[0-9]{2}_[0-9]{2}-[0-9]{2}-[0-9]{2}_[0-9]{1,10}\.zip\z"#,
            options: .regularExpression) != nil
    }

    /// The base id in an inner ZIP's name, when it has one (a shifted CSV line names it after a date).
    public static func baseID(ofInnerZip name: String) -> Int64? {
        let parts = name.dropFirst("dump_SACoche_".count).split(separator: "_")
        return parts.first.flatMap { Int64($0) }
    }

    /// SACoche's importer keeps an entry when it starts with `dump_sacoche_` and ends with `sql` (§6 C).
    public static func isDumpEntry(_ name: String) -> Bool {
        name.hasPrefix("dump_sacoche_") && name.hasSuffix("sql") && !name.contains("/")
    }

    /// `dump_<table>_<NNNN>.sql` → the table and the chunk number (`_0`, `_000` and `_0000` have all
    /// been written over the years).
    public static func tableAndChunk(ofEntry name: String) -> (table: String, chunk: Int)? {
        guard name.hasPrefix("dump_"), name.hasSuffix(".sql") else { return nil }
        let stem = name.dropFirst("dump_".count).dropLast(".sql".count)
        guard let underscore = stem.lastIndex(of: "_") else { return nil }
        let digits = stem[stem.index(after: underscore)...]
        guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy(\.isASCII), let chunk = Int(digits) else {
            return nil
        }
        let table = String(stem[..<underscore])
        return table.isEmpty ? nil : (table, chunk)
    }

    /// PHP's `natsort()` order: digit runs compare as numbers (`_2` before `_10`).
    public static func naturalOrder(_ a: String, _ b: String) -> Bool {
        var i = a.unicodeScalars.makeIterator()
        var j = b.unicodeScalars.makeIterator()
        var x = i.next()
        var y = j.next()
        while let p = x, let q = y {
            if p.properties.numericType != nil, q.properties.numericType != nil, p.isASCII, q.isASCII {
                var m = ""
                var n = ""
                while let d = x, d.isASCII, ("0"..."9").contains(Character(d)) {
                    m.unicodeScalars.append(d)
                    x = i.next()
                }
                while let d = y, d.isASCII, ("0"..."9").contains(Character(d)) {
                    n.unicodeScalars.append(d)
                    y = j.next()
                }
                let mv = m.drop { $0 == "0" }
                let nv = n.drop { $0 == "0" }
                if mv.count != nv.count { return mv.count < nv.count }
                if mv != nv { return mv < nv }
                if m.count != n.count { return m.count > n.count }
                continue
            }
            if p != q { return p.value < q.value }
            x = i.next()
            y = j.next()
        }
        return x == nil && y != nil
    }

    /// The name SACoche gives a new inner ZIP.
    public static func innerZip(baseID: Int64, stamp: String, random: UInt32) -> String {
        "dump_SACoche_\(baseID)_\(stamp)_\(random).zip"
    }

    /// `bases_dump_<date>_<rand>` (without extension).
    public static func bundle(stamp: String, random: UInt32) -> String { "bases_dump_\(stamp)_\(random)" }

    /// `dump_<table>_NNNN.sql`.
    public static func sqlEntry(table: String, chunk: Int) -> String {
        "dump_\(table)_" + String(format: "%04d", chunk) + ".sql"
    }

    /// The first `version_base` whose dumps escape backslashes (`\\`): older writers wrote them single.
    public static let modernEscapesSince = "2016-04-18"

    /// `version_base` lives in this table, as a key/value row.
    public static let parameterTable = "sacoche_parametre"
}
