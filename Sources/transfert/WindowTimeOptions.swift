import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// `--start`, `--end`, `--duration`, read in the hosting's time zone.
struct WindowTimeOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "When service is cut: \"2026-12-01 13:00\", \"01/12/2026 13:00\", or now.", valueName: "time"))
    var start: String?

    @Option(name: .long, help: ArgumentHelp("When service returns (same forms as --start).", valueName: "time"))
    var end: String?

    @Option(name: .long, help: ArgumentHelp("How long instead of --end: 45m, 1h, 1h30, 2d.", valueName: "duration"))
    var duration: String?

    func startDate(hosting: Hosting, now: Date) throws -> Date? {
        try start.map {
            try MaintenanceTime(timeZone: hosting.configuration.timeZone).parse($0, option: "--start", now: now)
        }
    }

    func endValue(hosting: Hosting, now: Date) throws -> MaintenanceSchedule.End? {
        if let end {
            return .at(
                try MaintenanceTime(timeZone: hosting.configuration.timeZone).parse(end, option: "--end", now: now))
        }
        if let duration { return .duration(try MaintenanceTime.parseDuration(duration, option: "--duration")) }
        return nil
    }
}
