import Foundation

/// Backup file names, Moodle's way: `sauvegarde-<server>-structure-<id>-<slug of the name>-<YYYYMMDD-HHMM>`
/// (`sauvegarde-serveur_a-structure-12-college_victor_hugo-20261207-0215`), with `-2`, `-3`… when a backup
/// of the same establishment already has that minute: a backup never overwrites another.
public enum BackupName {
    /// Longest slug of a name (the server's or the establishment's): file names stay far below 255 bytes.
    public static let slugLimit = 40

    /// ASCII, lower-case, every run of other characters one `_`, trimmed of `_` at both ends, at most
    /// ``slugLimit`` characters; `x` when nothing is left (a name of symbols only).
    public static func slug(_ text: String) -> String {
        // Ligatures and ß have no decomposition: spelled out first, as French and German write them.
        var spelled = text
        for (ligature, letters) in [("œ", "oe"), ("Œ", "OE"), ("æ", "ae"), ("Æ", "AE"), ("ß", "ss")] {
            spelled = spelled.replacingOccurrences(of: ligature, with: letters)
        }
        let folded =
            spelled.applyingTransform(.toLatin, reverse: false)?
            .folding(
                options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive],
                locale: Locale(identifier: "en_US_POSIX"))
            ?? text
        var slug = ""
        var pendingSeparator = false
        for scalar in folded.lowercased().unicodeScalars {
            let isAlphanumeric = scalar.isASCII && (("a"..."z").contains(scalar) || ("0"..."9").contains(scalar))
            if isAlphanumeric {
                if pendingSeparator && !slug.isEmpty { slug.append("_") }
                pendingSeparator = false
                slug.unicodeScalars.append(scalar)
            } else {
                pendingSeparator = true
            }
        }
        if slug.count > slugLimit {
            slug = String(slug.prefix(slugLimit))
            while slug.hasSuffix("_") { slug.removeLast() }
        }
        return slug.isEmpty ? "x" : slug
    }

    /// The minute stamp `YYYYMMDD-HHMM`, in `timeZone` (the hosting's).
    public static func minute(_ date: Date, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyyMMdd-HHmm"
        return formatter.string(from: date)
    }

    /// The name without the collision suffix.
    public static func base(server: String, baseID: Int64, name: String, date: Date, timeZone: TimeZone) -> String {
        "sauvegarde-\(slug(server))-structure-\(baseID)-\(slug(name))-\(minute(date, timeZone: timeZone))"
    }

    /// ``base(server:baseID:name:date:timeZone:)``, or with `-2`, `-3`… the first that `isTaken` refuses.
    public static func unique(
        server: String, baseID: Int64, name: String, date: Date, timeZone: TimeZone, isTaken: (String) -> Bool
    ) -> String {
        let base = base(server: server, baseID: baseID, name: name, date: date, timeZone: timeZone)
        var candidate = base
        var suffix = 2
        while isTaken(candidate) {
            candidate = "\(base)-\(suffix)"
            suffix += 1
        }
        return candidate
    }
}
