import Foundation

/// The registry's times — ISO 8601 text such as `2026-12-01T12:00:00Z` — read and written without building
/// an `ISO8601DateFormatter` per call: the portal reads and writes several per request, and a formatter
/// costs tens of microseconds to build.
///
/// The one form Transfert writes (`yyyy-MM-ddTHH:mm:ssZ`, or with an `±hh:mm` offset) is done by hand;
/// anything else goes to a fresh `ISO8601DateFormatter`, so that what this accepts, refuses and writes is
/// exactly what the formatter did (``RegistryTimeTests`` compares them on generated times).
///
/// ```swift
/// RegistryTime.date(from: "2026-12-01T12:00:00Z")                  // 1 Dec 2026 12:00 UTC
/// RegistryTime.string(from: date, timeZone: paris)                 // "2026-12-01T13:00:00+01:00"
/// ```
public enum RegistryTime {
    /// The registry's zone: times are stored in UTC.
    public static let utc = TimeZone(identifier: "UTC")!

    /// The date `text` stands for, or `nil` when `ISO8601DateFormatter` (default options) refuses it.
    public static func date(from text: String) -> Date? {
        if let date = fastDate(text) { return date }
        return ISO8601DateFormatter().date(from: text)
    }

    /// `date` as `ISO8601DateFormatter` writes it in `timeZone` (`Z` for UTC, else the offset).
    public static func string(from date: Date, timeZone: TimeZone) -> String {
        if let text = fastString(date, timeZone: timeZone) { return text }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        return formatter.string(from: date)
    }

    // MARK: - The hand-written form

    /// Years read and written by hand: the Gregorian calendar (before 1583 Foundation counts in the Julian
    /// one), four digits.
    private static let years: ClosedRange<Int> = 1_600...9_999

    /// `yyyy-MM-ddTHH:mm:ssZ` or `yyyy-MM-ddTHH:mm:ss±hh:mm` with every field in its plain range; `nil`
    /// for anything else (left to the formatter, which decides what it accepts).
    static func fastDate(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { bytes in bytes.count == 20 || bytes.count == 25 ? parse(bytes) : nil }
    }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Date? {
        func digits(_ from: Int, _ count: Int) -> Int? {
            var value = 0
            for index in from..<(from + count) {
                let byte = b[index]
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A,
            let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
            let hour = digits(11, 2), let minute = digits(14, 2), let second = digits(17, 2),
            years.contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }
        var offset = 0
        if b.count == 20 {
            guard b[19] == 0x5A else { return nil }
        } else {
            guard b[19] == 0x2B || b[19] == 0x2D, b[22] == 0x3A, let hours = digits(20, 2), let minutes = digits(23, 2),
                hours <= 14, minutes <= 59
            else { return nil }
            offset = (hours * 3_600 + minutes * 60) * (b[19] == 0x2D ? -1 : 1)
        }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// `date` written by hand when its year is in ``years`` and its zone's offset whole minutes; `nil`
    /// otherwise (left to the formatter).
    static func fastString(_ date: Date, timeZone: TimeZone) -> String? {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, interval > -10_000_000_000, interval < 250_000_000_000 else { return nil }
        // The formatter rounds to the millisecond, then drops the fraction: a time within a millisecond of
        // the next second is left to it rather than guessed (the binary value decides which way it rounds).
        let below = interval.rounded(.down)
        guard interval - below < 0.999 else { return nil }
        let offset = timeZone.secondsFromGMT(for: date)
        guard offset % 60 == 0, abs(offset) < 24 * 3_600 else { return nil }
        let whole = Int(below) + offset
        let days = whole >= 0 ? whole / 86_400 : (whole - 86_399) / 86_400
        let secondOfDay = whole - days * 86_400
        let (year, month, day) = civil(daysSinceEpoch: days)
        guard years.contains(year) else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(25)
        func append(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(0x30 + rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }
        append(year, 4)
        bytes.append(0x2D)
        append(month, 2)
        bytes.append(0x2D)
        append(day, 2)
        bytes.append(0x54)
        append(secondOfDay / 3_600, 2)
        bytes.append(0x3A)
        append(secondOfDay % 3_600 / 60, 2)
        bytes.append(0x3A)
        append(secondOfDay % 60, 2)
        if offset == 0 {
            bytes.append(0x5A)
        } else {
            bytes.append(offset < 0 ? 0x2D : 0x2B)
            append(abs(offset) / 3_600, 2)
            bytes.append(0x3A)
            append(abs(offset) % 3_600 / 60, 2)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The Gregorian date `days` after 1970-01-01 (H. Hinnant's `civil_from_days`).
    static func civil(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
