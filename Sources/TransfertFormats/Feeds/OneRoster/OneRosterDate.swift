import Foundation

/// OneRoster 1.1's dates: `dateLastModified` is an ISO 8601 date-time (`2026-09-01T08:00:00Z`, an offset
/// or fractional seconds allowed), `beginDate`/`endDate` are calendar dates (`2026-09-01`).
enum OneRosterDate {
    /// Milliseconds since 1970 of an ISO 8601 date-time, so that rows written with different offsets
    /// sort in the order they happened; `nil` when it is not one.
    static func milliseconds(ofDateTime text: String) -> Int64? {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = plain.date(from: text) ?? fractional.date(from: text) else { return nil }
        return Int64(exactly: (date.timeIntervalSince1970 * 1000).rounded())
    }

    /// Whether `text` is a calendar date `YYYY-MM-DD` that exists (no 2026-02-30).
    static func isDate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1
        else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let components = DateComponents(year: year, month: month)
        guard let first = calendar.date(from: components),
            let days = calendar.range(of: .day, in: .month, for: first)
        else { return false }
        return days.contains(day)
    }
}
