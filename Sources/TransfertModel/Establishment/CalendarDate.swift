import Foundation

/// A day in the proleptic Gregorian calendar, written `YYYY-MM-DD`, with no time zone.
///
/// Registration dates are days, not instants: keeping them as such avoids an establishment
/// registered on 1 September appearing on 31 August on a server in another time zone.
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Creates a date, checking that the day exists (30 February does not).
    public init(year: Int, month: Int, day: Int) throws(CalendarDateError) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day)
        else {
            throw .invalid(String(format: "%04d-%02d-%02d", year, month, day))
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`, and also `DD/MM/YYYY`, the form French spreadsheets display.
    public init(parsing text: String) throws(CalendarDateError) {
        let trimmed = text.trimmingWhitespace
        let iso = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        let french = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        if iso.count == 3, iso[0].count == 4, iso[1].count == 2, iso[2].count == 2,
            let y = Int(iso[0]), let m = Int(iso[1]), let d = Int(iso[2])
        {
            try self.init(year: y, month: m, day: d)
        } else if french.count == 3, french[2].count == 4, (1...2).contains(french[0].count),
            (1...2).contains(french[1].count),
            let d = Int(french[0]), let m = Int(french[1]), let y = Int(french[2])
        {
            try self.init(year: y, month: m, day: d)
        } else {
            throw .invalid(text)
        }
    }

    /// Today in the local time zone.
    public static func today(calendar: Calendar = .current) -> CalendarDate {
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        // The calendar always gives a real day.
        return try! CalendarDate(year: c.year!, month: c.month!, day: c.day!)
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

public enum CalendarDateError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(String)
    public var description: String { "'\(invalidText)' is not a real date: write it YYYY-MM-DD (e.g. 2024-09-01)" }
    private var invalidText: String {
        switch self {
        case .invalid(let t): t
        }
    }
}

extension CalendarDateError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .invalid: return .calendarDateInvalid
        }
    }
}
