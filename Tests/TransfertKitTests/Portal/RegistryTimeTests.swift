import Foundation
import Testing
import TransfertKit

@testable import TransfertModel

/// ``RegistryTime`` against `ISO8601DateFormatter`, which it replaces on the registry's hot paths: the same
/// dates read, the same texts refused, the same texts written — on generated times, not a few examples.
@Suite("Registry times read and written without a formatter")
struct RegistryTimeTests {
    static let zones = [
        "UTC", "Europe/Paris", "Europe/London", "America/Cayenne", "Asia/Kolkata", "Australia/Adelaide",
        "Pacific/Chatham", "America/St_Johns", "Pacific/Kiritimati", "Pacific/Pago_Pago",
    ].map { TimeZone(identifier: $0)! }

    @Test func writesWhatTheFormatterWritesInEveryZone() {
        var random = SeededGenerator(seed: 29)
        for zone in Self.zones {
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = zone
            for _ in 0..<4_000 {
                // 1600 to 9999, whole seconds and fractions (the portal's clock has them).
                let seconds = Double.random(in: -11_676_096_000...253_402_300_799, using: &random)
                let date = Date(timeIntervalSince1970: Bool.random(using: &random) ? seconds.rounded(.down) : seconds)
                #expect(
                    RegistryTime.string(from: date, timeZone: zone) == formatter.string(from: date),
                    "\(date.timeIntervalSince1970) in \(zone.identifier)")
            }
        }
        // Around now, where the portal writes, and at the edges of a second.
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Europe/Paris")!
        for fraction in [0.0, 0.0004, 0.0005, 0.4, 0.5, 0.998, 0.9989, 0.999, 0.9994, 0.9995, 0.99999] {
            let date = Date(timeIntervalSince1970: 1_796_126_400 + fraction)
            #expect(RegistryTime.string(from: date, timeZone: formatter.timeZone) == formatter.string(from: date))
        }
    }

    @Test func theHandWrittenPathIsTheOneTakenForTheRegistrysForms() {
        // Without it the comparisons above would only compare the formatter with itself.
        #expect(RegistryTime.fastDate("2026-12-01T12:00:00Z") == Date(timeIntervalSince1970: 1_796_126_400))
        #expect(RegistryTime.fastDate("2026-12-01T13:00:00+01:00") == Date(timeIntervalSince1970: 1_796_126_400))
        #expect(
            RegistryTime.fastString(Date(timeIntervalSince1970: 1_796_126_400.25), timeZone: RegistryTime.utc)
                == "2026-12-01T12:00:00Z")
    }

    @Test func readsWhatTheFormatterReads() {
        var random = SeededGenerator(seed: 7)
        let formatter = ISO8601DateFormatter()
        for zone in Self.zones {
            let writer = ISO8601DateFormatter()
            writer.timeZone = zone
            for _ in 0..<3_000 {
                let date = Date(
                    timeIntervalSince1970: Double(Int64.random(in: -11_676_096_000...253_402_300_799, using: &random)))
                let text = writer.string(from: date)
                #expect(RegistryTime.date(from: text) == formatter.date(from: text), "\(text)")
                // Taken by hand unless the year or the offset (local mean times: seconds) is outside its form.
                let handWritten =
                    (1_600...9_999).contains(Int(text.prefix(4)) ?? 0) && [20, 25].contains(text.utf8.count)
                #expect((RegistryTime.fastDate(text) != nil) == handWritten, "\(text)")
            }
        }
    }

    @Test func refusesWhatTheFormatterRefusesAndAcceptsWhatItAccepts() {
        // Every one-character change of a registry time: digits out of range, other separators, other
        // zones, letters — the answer is the formatter's, accepted or refused.
        let formatter = ISO8601DateFormatter()
        let alphabet = Array("0123456789-+:TZtz .,/x\u{00E9}")
        for base in ["2026-12-01T12:00:00Z", "2024-02-29T23:59:59+14:00", "1999-12-31T00:00:00-09:30"] {
            let characters = Array(base)
            for index in characters.indices {
                for replacement in alphabet {
                    var changed = characters
                    changed[index] = replacement
                    let text = String(changed)
                    #expect(RegistryTime.date(from: text) == formatter.date(from: text), "\(text)")
                }
            }
        }
        for text in [
            "", "2026-12-01", "2026-12-01T12:00:00", "2026-02-29T12:00:00Z", "2026-04-31T12:00:00Z",
            "2026-12-01T24:00:00Z", "2026-12-01T12:60:00Z", "2026-12-01T12:00:60Z", "2026-13-01T12:00:00Z",
            "2026-00-01T12:00:00Z", "2026-12-00T12:00:00Z", "2026-12-01T12:00:00+15:00", "2026-12-01T12:00:00+0100",
            "2026-12-01T12:00:00.5Z", "1582-10-10T00:00:00Z", "0000-01-01T00:00:00Z", "2026-12-01T12:00:00+14:60",
            "+2026-12-01T12:00:00Z", "2026-12-01T12:00:00 Z", " 2026-12-01T12:00:00Z",
        ] {
            #expect(RegistryTime.date(from: text) == formatter.date(from: text), "\(text)")
        }
    }
}
