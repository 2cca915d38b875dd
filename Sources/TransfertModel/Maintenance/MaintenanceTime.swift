import Foundation

/// Reads the times and durations operators type (`--start "2026-12-01 13:00"`, `--duration 45m`) in the
/// hosting's time zone, and writes times the way French users read them (`01/12/2026`, `13:00`).
///
/// ```swift
/// let time = MaintenanceTime(timeZone: TimeZone(identifier: "Europe/Paris")!)
/// let start = try time.parse("2026-12-01 13:00", option: "--start", now: Date())   // 12:00 UTC
/// try MaintenanceTime.parseDuration("1h30", option: "--duration")                   // 5400
/// time.day(start)   // "01/12/2026"
/// time.clock(start) // "13:00"
/// ```
public struct MaintenanceTime: Sendable {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// The time zone named in `transfert.yaml` (`time_zone`), refused with the key when unknown.
    public static func timeZone(named name: String, file: String) throws(ConfigurationError) -> TimeZone {
        guard let zone = TimeZone(identifier: name) else {
            throw .invalidValue(
                file: file, key: "time_zone", value: name,
                expected: "a time zone name such as Europe/Paris, America/Cayenne or UTC")
        }
        return zone
    }

    /// The forms `parse` accepts, for error messages and help.
    public static let acceptedForms =
        "now, 2026-12-01 13:00, 01/12/2026 13:00, or ISO 8601 with an offset (2026-12-01T13:00:00+01:00)"

    /// A time typed by an operator: `now`, a local date and time (`YYYY-MM-DD HH:MM[:SS]`, with a space or
    /// a `T`, or `DD/MM/YYYY HH:MM`) read in ``timeZone``, or ISO 8601 with `Z` or an offset.
    public func parse(_ text: String, option: String, now: Date) throws(MaintenanceError) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "now" { return Self.wholeSeconds(now) }
        let withOffset = ISO8601DateFormatter()
        if let date = withOffset.date(from: trimmed) { return date }
        let parts = trimmed.split(whereSeparator: { $0 == " " || $0 == "T" }).map(String.init)
        guard parts.count == 2, let day = Self.day(parts[0]), let clock = Self.clock(parts[1]) else {
            throw .invalidTime(option: option, value: text, expected: Self.acceptedForms)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(
            year: day.year, month: day.month, day: day.day,
            hour: clock.hour, minute: clock.minute, second: clock.second)
        guard let date = calendar.date(from: components),
            calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
                == DateComponents(
                    year: day.year, month: day.month, day: day.day, hour: clock.hour, minute: clock.minute)
        else {
            throw .invalidTime(
                option: option, value: text,
                expected: "a date and time that exist in \(timeZone.identifier) (\(Self.acceptedForms))")
        }
        // The hour clocks go back over happens twice: say which with an offset rather than guess.
        let later = date.addingTimeInterval(3_600)
        if calendar.dateComponents([.year, .month, .day, .hour, .minute], from: later)
            == DateComponents(year: day.year, month: day.month, day: day.day, hour: clock.hour, minute: clock.minute)
        {
            let format = { (date: Date) in MaintenanceTime.offset(of: date, in: self.timeZone) }
            throw .invalidTime(
                option: option, value: text,
                expected:
                    "one of the two times it names in \(timeZone.identifier), with its offset: \(parts[0])T\(parts[1])\(format(date)) or \(parts[0])T\(parts[1])\(format(later))"
            )
        }
        return date
    }

    /// A duration: `45m`, `1h`, `1h30`, `1h30m`, `2d`, `90s`, or ISO 8601 (`PT45M`). A bare number is minutes.
    public static func parseDuration(_ text: String, option: String) throws(MaintenanceError) -> TimeInterval {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces).lowercased())
        if rest.hasPrefix("pt") { rest = rest.dropFirst(2) } else if rest.hasPrefix("p") { rest = rest.dropFirst() }
        var total: TimeInterval = 0
        var sawUnit = false
        var lastUnit: Character?
        while !rest.isEmpty {
            let digits = rest.prefix(while: \.isNumber)
            guard !digits.isEmpty, let value = Double(digits) else {
                throw .invalidDuration(option: option, value: text)
            }
            rest = rest.dropFirst(digits.count)
            let unit = rest.first
            switch unit {
            case "d": total += value * 86_400
            case "h": total += value * 3_600
            case "m": total += value * 60
            case "s": total += value
            case nil:
                // `1h30`: minutes after hours; `45`: minutes alone.
                total += lastUnit == "h" || !sawUnit ? value * 60 : value
            default: throw .invalidDuration(option: option, value: text)
            }
            if let unit {
                rest = rest.dropFirst()
                sawUnit = true
                lastUnit = unit
            }
        }
        guard total > 0 else { throw .invalidDuration(option: option, value: text) }
        return total
    }

    /// `DD/MM/YYYY` in ``timeZone``.
    public func day(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%02d/%02d/%04d", c.day ?? 0, c.month ?? 0, c.year ?? 0)
    }

    /// `HH:MM` in ``timeZone``.
    public func clock(_ date: Date) -> String {
        let c = components(date)
        return String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
    }

    /// `DD/MM/YYYY HH:MM`, for tables.
    public func dayAndClock(_ date: Date) -> String { "\(day(date)) \(clock(date))" }

    /// `DD/MM/YYYY HH:MM:SS`, for refusals that compare a time with now (they may differ by seconds only).
    public func dayAndClockWithSeconds(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return "\(day(date)) \(clock(date)):" + String(format: "%02d", calendar.component(.second, from: date))
    }

    /// ISO 8601 with the zone's offset (`2026-12-01T13:00:00+01:00`), for JSON.
    public func iso(_ date: Date) -> String {
        RegistryTime.string(from: date, timeZone: timeZone)
    }

    /// `45 min`, `1 h 30`, `2 j 3 h`: how long a window lasts, in French abbreviations.
    public static func describe(_ duration: TimeInterval) -> String {
        let minutes = Int((duration / 60).rounded(.up))
        let days = minutes / 1_440
        let hours = (minutes % 1_440) / 60
        let rest = minutes % 60
        var parts: [String] = []
        if days > 0 { parts.append("\(days) d") }
        if hours > 0 { parts.append("\(hours) h") }
        if rest > 0 || parts.isEmpty { parts.append("\(rest) min") }
        return parts.joined(separator: " ")
    }

    /// `date` without its fraction of a second, as the registry stores it.
    public static func wholeSeconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }

    private func components(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    private static func day(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let iso = text.split(separator: "-", omittingEmptySubsequences: false)
        if iso.count == 3, iso[0].count == 4, let y = Int(iso[0]), let m = Int(iso[1]), let d = Int(iso[2]),
            (1...12).contains(m), (1...31).contains(d)
        {
            return (y, m, d)
        }
        let french = text.split(separator: "/", omittingEmptySubsequences: false)
        if french.count == 3, french[2].count == 4, let d = Int(french[0]), let m = Int(french[1]),
            let y = Int(french[2]),
            (1...12).contains(m), (1...31).contains(d)
        {
            return (y, m, d)
        }
        return nil
    }

    private static func clock(_ text: String) -> (hour: Int, minute: Int, second: Int)? {
        let parts = text.replacingOccurrences(of: "h", with: ":").split(
            separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h),
            (0...59).contains(m)
        else { return nil }
        let s = parts.count == 3 ? Int(parts[2]) : 0
        guard let s, (0...59).contains(s) else { return nil }
        return (h, m, s)
    }

    /// `+02:00`: the zone's offset from UTC at `date`.
    static func offset(of date: Date, in zone: TimeZone) -> String {
        let seconds = zone.secondsFromGMT(for: date)
        return String(format: "%@%02d:%02d", seconds < 0 ? "-" : "+", abs(seconds) / 3_600, abs(seconds) % 3_600 / 60)
    }
}
