import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// A clock the test moves by hand: window states over time without sleeping.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    var now: Date { lock.withLock { current } }
    func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
    func set(_ date: Date) { lock.withLock { current = date } }
}

@Suite("Maintenance windows")
final class MaintenanceTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let time = MaintenanceTime(timeZone: paris)
    /// 2026-11-25 09:00 in Paris (08:00 UTC).
    static let morning = try! time.parse("2026-11-25 09:00", option: "--start", now: Date())

    let directory: TemporaryDirectory
    let hosting: Hosting
    let clock = TestClock(MaintenanceTests.morning)
    let schedule: MaintenanceSchedule

    /// Each test: a hosting with establishments 1, 2, 3, and a schedule on a clock at `morning`.
    init() throws {
        directory = try TemporaryDirectory()
        hosting = try makeHosting(in: directory)
        for (index, uai) in ["0750001U", "0750002V", "0750003W"].enumerated() {
            try hosting.addStructure(newStructure(uai: uai, id: Int64(index + 1), email: "contact\(index)@ac-paris.fr"))
        }
        let clock = self.clock
        schedule = MaintenanceSchedule(registry: hosting.registry, time: Self.time, now: { clock.now })
    }

    func at(_ text: String) throws -> Date { try Self.time.parse(text, option: "--start", now: Self.morning) }

    @Test func statesFollowTheClockWithNoDaemon() throws {
        let planned = try schedule.plan(
            .init(
                scope: .establishments([1]), type: .database, start: try at("2026-12-01 13:00"),
                end: .at(try at("2026-12-01 13:45")), message: nil))
        let window = planned.window
        #expect(planned.notices.isEmpty)
        #expect(window.state(at: clock.now) == .planned)
        clock.set(try at("2026-12-01 12:59"))
        #expect(window.state(at: clock.now) == .planned)
        clock.set(try at("2026-12-01 13:00"))
        #expect(window.state(at: clock.now) == .inProgress, "the start is inside the window")
        clock.set(try at("2026-12-01 13:44"))
        #expect(window.state(at: clock.now) == .inProgress)
        clock.set(try at("2026-12-01 13:45"))
        #expect(window.state(at: clock.now) == .finished, "the end is outside it: service is back")
        // Stored in UTC, shown in Paris time: 13:00 in Paris is 12:00 UTC in winter.
        #expect(ISO8601DateFormatter().string(from: window.start) == "2026-12-01T12:00:00Z")
        #expect(Self.time.dayAndClock(window.start) == "01/12/2026 13:00")
        // A finished window cannot change; planning again is possible once it is over.
        #expect(throws: MaintenanceError.windowClosed(window.number!, .finished)) {
            try schedule.cancel(window.number!)
        }
        _ = try schedule.plan(
            .init(
                scope: .establishments([1]), type: .deployment, start: try at("2026-12-02 13:00"),
                end: .duration(600), message: nil))
    }

    @Test func aSecondOpenWindowIsRefusedUntilTheFirstIsCancelled() throws {
        let first = try schedule.plan(
            .init(
                scope: .establishments([1, 2]), type: .database, start: try at("2026-12-01 13:00"),
                end: .duration(45 * 60), message: nil)
        ).window
        let overlapping = MaintenanceSchedule.Request(
            scope: .establishments([2, 3]), type: .deployment,
            start: try at("2026-12-05 08:00"), end: .duration(600), message: nil)
        #expect(
            throws: MaintenanceError.alreadyPlanned(
                baseIDs: [2], window: first.number!, state: .planned,
                when: "01/12/2026 13:00 to 01/12/2026 13:45")
        ) { try schedule.plan(overlapping) }
        #expect(throws: MaintenanceError.self) {
            try schedule.plan(
                .init(scope: .all, type: .database, start: try at("2026-12-09 08:00"), end: .duration(60), message: nil)
            )
        }
        #expect(try hosting.registry.maintenanceWindows().count == 1, "a refused plan writes nothing")
        // Establishment 3 alone is free.
        _ = try schedule.plan(
            .init(
                scope: .establishments([3]), type: .database, start: try at("2026-12-03 08:00"), end: .duration(60),
                message: nil))
        // Still refused while the first is in progress; accepted once it is cancelled.
        clock.set(try at("2026-12-01 13:10"))
        #expect(throws: MaintenanceError.self) { try schedule.plan(overlapping) }
        let cancelled = try schedule.cancel(first.number!)
        #expect(cancelled.state(at: clock.now) == .cancelled)
        #expect(throws: MaintenanceError.self, "3 has its own window") { try schedule.plan(overlapping) }
        _ = try schedule.plan(
            .init(
                scope: .establishments([2]), type: .deployment, start: try at("2026-12-05 08:00"), end: .duration(600),
                message: nil))
        #expect(throws: MaintenanceError.unknownEstablishments([42])) {
            try schedule.plan(
                .init(
                    scope: .establishments([42]), type: .database, start: try at("2026-12-05 08:00"),
                    end: .duration(60), message: nil))
        }
    }

    @Test func aStartInThePastIsRefusedNowStartsAtOnceAndAShortNoticeIsFlagged() throws {
        // A past start is refused, whatever how far: never taken for "now" (service cut at once).
        for past in [try at("2026-11-24 08:00"), clock.now.addingTimeInterval(-1)] {
            #expect(
                throws: MaintenanceError.startInPast(
                    option: "--start", given: Self.time.dayAndClockWithSeconds(past),
                    now: "25/11/2026 09:00:00", timeZone: "Europe/Paris")
            ) {
                try schedule.plan(
                    .init(
                        scope: .establishments([1]), type: .database, start: past, end: .duration(1_800), message: nil),
                    dryRun: true)
            }
            #expect(throws: MaintenanceError.self) {
                try schedule.plan(
                    .init(
                        scope: .establishments([1]), type: .database, start: past, end: .duration(1_800), message: nil))
            }
        }
        #expect(try hosting.registry.maintenanceWindows().isEmpty, "a refused plan writes nothing")
        // Now (what `--start now` reads as, on the schedule's clock): at once, said so.
        let now = try schedule.plan(
            .init(scope: .establishments([1]), type: .database, start: clock.now, end: .duration(1_800), message: nil))
        #expect(now.notices == [.startsNow(requested: clock.now)])
        #expect(now.window.start == clock.now && now.window.end == clock.now.addingTimeInterval(1_800))
        #expect(now.window.state(at: clock.now) == .inProgress, "service is cut at once")
        let text = MaintenanceWindowReport.explain(now.notices[0], window: now.window, time: Self.time)
        #expect(text == "the window starts now: service is cut at once for establishment 1")
        // Editing: a past start or end is refused too.
        #expect(throws: MaintenanceError.self) {
            try schedule.edit(now.window.number!, .init(start: try at("2026-11-24 08:00")))
        }
        clock.advance(600)
        #expect(
            throws: MaintenanceError.endInPast(
                option: "--end", given: "25/11/2026 09:09:00", now: "25/11/2026 09:10:00", timeZone: "Europe/Paris")
        ) {
            try schedule.edit(now.window.number!, .init(end: .at(clock.now.addingTimeInterval(-60))))
        }
        clock.set(Self.morning)
        let soon = try schedule.plan(
            .init(
                scope: .establishments([2]), type: .database, start: clock.now.addingTimeInterval(120),
                end: .duration(600), message: nil))
        #expect(soon.notices == [.shortNotice(seconds: 120)])
        let later = try schedule.plan(
            .init(
                scope: .establishments([3]), type: .database, start: clock.now.addingTimeInterval(300),
                end: .duration(600), message: nil))
        #expect(later.notices.isEmpty, "five minutes is enough")
        // An end before the start is refused, in the hosting's time.
        #expect(throws: MaintenanceError.endNotAfterStart(start: "01/12/2026 13:00", end: "01/12/2026 12:00")) {
            try schedule.edit(
                later.window.number!, .init(start: try at("2026-12-01 13:00"), end: .at(try at("2026-12-01 12:00"))))
        }
    }

    @Test func editKeepsTheDurationOfAMovedStart() throws {
        let window = try schedule.plan(
            .init(
                scope: .establishments([1]), type: .database, start: try at("2026-12-01 13:00"),
                end: .duration(45 * 60), message: "Transfert")
        ).window
        let moved = try schedule.edit(window.number!, .init(type: .deployment, start: try at("2026-12-02 08:30")))
            .window
        #expect(moved.number == window.number && moved.type == .deployment)
        #expect(Self.time.dayAndClock(moved.end) == "02/12/2026 09:15")
        #expect(moved.message == "Transfert")
        let cleared = try schedule.edit(window.number!, .init(end: .duration(3_600), message: "")).window
        #expect(cleared.message == nil && cleared.duration == 3_600)
        #expect(throws: MaintenanceError.self) { try schedule.edit(window.number!, .init(message: "a\u{0007}b")) }
        #expect(throws: MaintenanceError.unknownWindow(77)) { try schedule.edit(77, .init(type: .database)) }
    }

    @Test(arguments: [
        ("2026-12-01 13:00", "2026-12-01T12:00:00Z"), ("2026-12-01T13:00", "2026-12-01T12:00:00Z"),
        ("01/12/2026 13:00", "2026-12-01T12:00:00Z"), ("2026-07-01 13:00:30", "2026-07-01T11:00:30Z"),
        ("2026-12-01T13:00:00+01:00", "2026-12-01T12:00:00Z"), ("2026-12-01T12:00:00Z", "2026-12-01T12:00:00Z"),
        ("2026-12-01 13h00", "2026-12-01T12:00:00Z"),
    ])
    func timesAreReadInTheHostingsZone(text: String, utc: String) throws {
        #expect(
            ISO8601DateFormatter().string(from: try Self.time.parse(text, option: "--start", now: Self.morning)) == utc)
    }

    @Test(arguments: [
        "tomorrow", "2026-13-01 10:00", "2026-12-01", "32/12/2026 10:00", "2026-12-01 25:00",
        "2026-03-29 02:30",
    ])
    func badTimesAreRefusedWithTheOption(text: String) {
        #expect(throws: MaintenanceError.self) { try Self.time.parse(text, option: "--start", now: Self.morning) }
        do { _ = try Self.time.parse(text, option: "--start", now: Self.morning) } catch {
            #expect("\(error)".hasPrefix("--start '\(text)'"))
        }
    }

    @Test func nowIsNowToTheSecond() throws {
        let now = Date(timeIntervalSince1970: 1_796_000_000.7)
        #expect(try Self.time.parse("now", option: "--start", now: now) == Date(timeIntervalSince1970: 1_796_000_000))
    }

    @Test(arguments: [
        ("45m", 2_700.0), ("1h", 3_600), ("1h30", 5_400), ("1h30m", 5_400), ("2d", 172_800), ("90s", 90),
        ("45", 2_700), ("PT45M", 2_700), ("PT1H15M", 4_500),
    ])
    func durations(text: String, seconds: Double) throws {
        #expect(try MaintenanceTime.parseDuration(text, option: "--duration") == seconds)
    }

    @Test(arguments: ["", "0m", "abc", "1x", "-5m", "h"])
    func badDurations(text: String) {
        #expect(throws: MaintenanceError.invalidDuration(option: "--duration", value: text)) {
            try MaintenanceTime.parseDuration(text, option: "--duration")
        }
    }

    @Test func theSentencesUsersReadInFrenchAndEnglish() throws {
        let start = try at("2020-09-07 13:00")
        let database = MaintenanceWindow(
            type: .database, scope: .all, start: start, end: start.addingTimeInterval(2_700), plannedBy: "t")
        let french = MaintenanceMessages(language: "fr")
        #expect(
            french.text(.warning, for: database, application: "SACoche", time: Self.time, disconnectAfter: 15)
                == "Une phase de maintenance de la base de données aura lieu entre le 07/09/2020 à 13:00 et le 07/09/2020 à 13:45. SACoche sera donc indisponible durant cette période."
        )
        #expect(
            french.text(.during, for: database, application: "SACoche", time: Self.time, disconnectAfter: 15)
                == "Une phase de maintenance de la base de données est actuellement en cours. Le service sera à nouveau disponible le 07/09/2020 à 13:45."
        )
        #expect(
            french.text(.disconnect, for: database, application: "SACoche", time: Self.time, disconnectAfter: 20)
                .contains("vous allez être déconnecté dans 20 secondes"))
        var deployment = database
        deployment.type = .deployment
        #expect(
            french.text(.warning, for: deployment, application: "SACoche", time: Self.time, disconnectAfter: 15)
                .hasPrefix("Une nouvelle version sera installée entre le 07/09/2020 à 13:00 et le 07/09/2020 à 13:45."))
        #expect(
            french.text(.during, for: deployment, application: "SACoche", time: Self.time, disconnectAfter: 15)
                .hasPrefix(
                    "Une nouvelle version est en cours d'installation. Le service sera à nouveau disponible le 07/09/2020 à 13:45."
                ))
        // Values are inserted as text (the portal escapes them for HTML, once).
        #expect(
            french.text(.warning, for: database, application: "A & <B>", time: Self.time, disconnectAfter: 15).contains(
                "A & <B> sera"))
        let english = MaintenanceMessages(language: "en")
        #expect(
            english.text(.during, for: deployment, application: "SACoche", time: Self.time, disconnectAfter: 15)
                == "A new version is being installed. The service will be available again on 07/09/2020 at 13:45.")
        #expect(MaintenanceMessages(language: "de").language == "fr", "an unknown language falls back to French")
        for language in ["fr", "en"] {
            for type in MaintenanceType.allCases {
                for phase in MaintenanceMessages.Phase.allCases {
                    var window = database
                    window.type = type
                    #expect(
                        !MaintenanceMessages(language: language).text(
                            phase, for: window, application: "X", time: Self.time, disconnectAfter: 1
                        ).isEmpty,
                        "\(language) \(type) \(phase) renders")
                }
            }
        }
    }
}
