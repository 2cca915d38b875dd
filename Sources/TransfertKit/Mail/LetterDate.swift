import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Dates as a letter's reader writes them: `25 novembre 2026` in French, `25 November 2026` in English,
/// in the hosting's time zone.
enum LetterDate {
    static func long(_ date: Date, language: String, timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language == "en" ? "en_GB" : "fr_FR")
        formatter.timeZone = timeZone
        formatter.dateFormat = "d MMMM y"
        return formatter.string(from: date)
    }
}
