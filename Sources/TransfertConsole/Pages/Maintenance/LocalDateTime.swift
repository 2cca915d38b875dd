import Foundation

/// Times as a `datetime-local` input shows and sends them (`2026-12-01T13:00`): a wall-clock time with no
/// zone, which the console always means in the hosting's time zone — as `transfert maintenance` reads
/// `--start "2026-12-01 13:00"`. The console never converts the typed time itself: it hands it to the
/// command, which reads it in the hosting's zone and refuses it with its own words if it cannot.
struct LocalDateTime {
    let timeZone: TimeZone

    /// The value a `datetime-local` input shows for `date`, in the hosting's zone (minutes: the input's step).
    func inputValue(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.string(from: date)
    }

    /// The typed time as the command line spells it: `2026-12-01T13:00` → `2026-12-01 13:00` (the
    /// operations log then reads like an operator's command). Anything else goes as typed, for the command
    /// to accept (`01/12/2026 13:00`) or refuse.
    static func argument(_ typed: String) -> String {
        let text = typed.trimmingCharacters(in: .whitespaces)
        let shape = text.utf8.map { byte -> UInt8 in (0x30...0x39).contains(byte) ? UInt8(ascii: "9") : byte }
        let minutes = Array("9999-99-99T99:99".utf8)
        let seconds = Array("9999-99-99T99:99:99".utf8)
        guard shape == minutes || shape == seconds else { return typed }
        return text.replacingOccurrences(of: "T", with: " ")
    }
}
