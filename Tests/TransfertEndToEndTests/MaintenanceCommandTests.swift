import Foundation
import Testing

/// What the maintenance and portal tests share: a hosting with the three sample establishments, and
/// times written the way the hosting (Europe/Paris) reads and shows them.
enum MaintenanceFixture {
    /// The sample profile's application name, which the French sentences name.
    static let application = "Évaluations par compétences (modèle SACoche)"
    static let paris = TimeZone(identifier: "Europe/Paris")!
    /// A year far enough ahead that windows planned in it stay planned whenever the tests run.
    static let year = Calendar(identifier: .gregorian).component(.year, from: Date()) + 5

    /// `sample --structures 3` (seed 1): id → (name, place, UAI). Contacts: Paul Michel, Énora Rémy, Louise Rivière.
    static let establishments: [Int: (name: String, place: String, uai: String)] = [
        1: ("Lycée Marie Curie", "Nîmes", "0593731K"),
        2: ("École primaire Jules Ferry", "Châlons-en-Champagne", "0010025X"),
        3: ("Cité scolaire Saint-Exupéry ; site Nord", "L'Haÿ-les-Roses", "0259683P"),
    ]

    /// A hosting `hosting` with the three sample establishments (checked against ``establishments``).
    static func workspace(sourceLocation: SourceLocation = #_sourceLocation) throws -> Workspace {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "3", "--students", "5"], sourceLocation: sourceLocation)
        let list = try workspace.jsonArray(["structure", "list", "--json"])
        let names = Dictionary(
            uniqueKeysWithValues: list.map { ($0["base_id"] as? Int ?? 0, $0["denomination"] as? String ?? "") })
        try #require(
            names == establishments.mapValues(\.name), "the sample establishments changed: \(names)",
            sourceLocation: sourceLocation)
        return workspace
    }

    /// `date` as typed on the command line in Europe/Paris (`2031-12-01 13:00:00`).
    static func typed(_ date: Date, format: String = "yyyy-MM-dd HH:mm:ss") -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = paris
        formatter.dateFormat = format
        return formatter.string(from: date)
    }

    /// ISO 8601 with the Paris offset of that date, as the JSON shows times.
    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = paris
        return formatter.string(from: date)
    }

    /// An ISO 8601 time with an offset or Z.
    static func date(_ text: Any?) -> Date? {
        (text as? String).flatMap { ISO8601DateFormatter().date(from: $0) }
    }

    /// The French sentences users read about a database window from `start` to `end` (`DD/MM/YYYY`, `HH:MM`).
    static func databaseWarning(_ start: (day: String, time: String), _ end: (day: String, time: String)) -> String {
        "Une phase de maintenance de la base de données aura lieu entre le \(start.day) à \(start.time) et le \(end.day) à \(end.time). \(application) sera donc indisponible durant cette période."
    }

    static func databaseDuring(_ end: (day: String, time: String)) -> String {
        "Une phase de maintenance de la base de données est actuellement en cours. Le service sera à nouveau disponible le \(end.day) à \(end.time)."
    }
}

extension Workspace {
    /// Runs transfert (which must succeed) and parses its standard output as a JSON object.
    func jsonObject(
        _ arguments: [String], hosting: String = "hosting", sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String: Any] {
        let result = try succeed(arguments, hosting: hosting, sourceLocation: sourceLocation)
        return try #require(
            try json(result) as? [String: Any], "not a JSON object:\n\(result.transcript)",
            sourceLocation: sourceLocation)
    }

    /// Runs transfert (which must succeed) and parses its standard output as a JSON array of objects.
    func jsonArray(
        _ arguments: [String], hosting: String = "hosting", sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [[String: Any]] {
        let result = try succeed(arguments, hosting: hosting, sourceLocation: sourceLocation)
        return try #require(
            try json(result) as? [[String: Any]], "not a JSON array:\n\(result.transcript)",
            sourceLocation: sourceLocation)
    }

    /// Replaces the line `old` of the hosting's transfert.yaml (which must hold it) with `new`.
    func replaceConfigurationLine(
        _ old: String, with new: String, hosting: String = "hosting",
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let file = path("\(hosting)/transfert.yaml")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        let index = try #require(
            lines.firstIndex(of: old), "transfert.yaml has no line `\(old)`", sourceLocation: sourceLocation)
        lines[index] = new
        try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
    }
}

@Suite("Maintenance windows and locks from the command line")
struct MaintenanceCommandTests {
    typealias F = MaintenanceFixture

    @Test func planListEditCancelWithJSONInParisTime() throws {
        let workspace = try F.workspace()
        let y = F.year
        let plan = try workspace.jsonObject([
            "maintenance", "plan", "--ids", "2,1", "--start", "\(y)-12-01 13:00", "--end", "\(y)-12-01 13:45", "--json",
        ])
        #expect(plan["number"] as? Int == 1)
        #expect(plan["type"] as? String == "database")
        #expect(plan["state"] as? String == "planned")
        #expect(plan["establishments"] as? [Int] == [1, 2], "ids sorted")
        #expect(plan["start"] as? String == "\(y)-12-01T13:00:00+01:00", "typed and shown in Europe/Paris (winter)")
        #expect(plan["end"] as? String == "\(y)-12-01T13:45:00+01:00")
        #expect(plan["duration_minutes"] as? Int == 45)
        #expect(plan["message"] == nil || plan["message"] is NSNull)
        #expect(plan["cancelled_at"] == nil || plan["cancelled_at"] is NSNull)
        #expect((plan["notices"] as? [String]) == [], "planned days ahead: nothing to warn about")
        let plannedAt = try #require(
            F.date(plan["planned_at"]), "planned_at is ISO 8601: \(plan["planned_at"] ?? "nil")")
        #expect(abs(plannedAt.timeIntervalSinceNow) < 60)
        #expect((plan["planned_by"] as? String ?? "").contains("@"), "user@host")
        #expect(plan["warning"] as? String == F.databaseWarning(("01/12/\(y)", "13:00"), ("01/12/\(y)", "13:45")))
        #expect(plan["during"] as? String == F.databaseDuring(("01/12/\(y)", "13:45")))
        #expect(
            plan["disconnect"] as? String
                == "Une phase de maintenance de la base de données commence : vous allez être déconnecté dans 15 secondes. Enregistrez votre travail. Le service sera à nouveau disponible le 01/12/\(y) à 13:45."
        )

        // The registry keeps UTC, read with the independent sqlite3 tool.
        #expect(
            try workspace.sqlite(
                "hosting/registry.sqlite",
                "SELECT id, type, every_structure, starts_at, ends_at FROM maintenance_window")
                == "1|database|0|\(y)-12-01T12:00:00Z|\(y)-12-01T12:45:00Z")
        #expect(
            try workspace.sqlite(
                "hosting/registry.sqlite",
                "SELECT group_concat(base_id) FROM (SELECT base_id FROM maintenance_window_structure WHERE window_id = 1 ORDER BY base_id)"
            ) == "1,2")

        let list = try workspace.jsonArray(["maintenance", "list", "--json"])
        #expect(list.count == 1)
        #expect(list.first?["number"] as? Int == 1 && list.first?["state"] as? String == "planned")
        #expect(list.first?["start"] as? String == "\(y)-12-01T13:00:00+01:00")
        let table = try workspace.succeed(["maintenance", "list"]).stdout
        #expect(
            table.contains("01/12/\(y) 13:00") && table.contains("01/12/\(y) 13:45") && table.contains("45 min"),
            "\(table)")
        #expect(table.contains("1 window planned or in progress (times in Europe/Paris)"), "\(table)")

        // A new start keeps the duration; a new duration keeps the start.
        let moved = try workspace.jsonObject(["maintenance", "edit", "1", "--start", "01/12/\(y) 14:00", "--json"])
        #expect(moved["start"] as? String == "\(y)-12-01T14:00:00+01:00")
        #expect(moved["end"] as? String == "\(y)-12-01T14:45:00+01:00")
        #expect(moved["duration_minutes"] as? Int == 45)
        let longer = try workspace.jsonObject([
            "maintenance", "edit", "1", "--duration", "2h", "--type", "deployment",
            "--message", "Nouvelle version : pensez à vider le cache du navigateur.", "--json",
        ])
        #expect(longer["start"] as? String == "\(y)-12-01T14:00:00+01:00")
        #expect(longer["end"] as? String == "\(y)-12-01T16:00:00+01:00")
        #expect(longer["duration_minutes"] as? Int == 120)
        #expect(longer["type"] as? String == "deployment")
        #expect(longer["message"] as? String == "Nouvelle version : pensez à vider le cache du navigateur.")
        #expect(
            longer["warning"] as? String
                == "Une nouvelle version sera installée entre le 01/12/\(y) à 14:00 et le 01/12/\(y) à 16:00. \(F.application) sera donc indisponible durant cette période."
        )
        #expect(
            longer["during"] as? String
                == "Une nouvelle version est en cours d'installation. Le service sera à nouveau disponible le 01/12/\(y) à 16:00."
        )
        #expect(
            try workspace.sqlite(
                "hosting/registry.sqlite",
                "SELECT type, starts_at, ends_at, message FROM maintenance_window WHERE id = 1")
                == "deployment|\(y)-12-01T13:00:00Z|\(y)-12-01T15:00:00Z|Nouvelle version : pensez à vider le cache du navigateur."
        )
        let plain = try workspace.jsonObject(["maintenance", "edit", "1", "--message", "", "--json"])
        #expect(plain["message"] == nil || plain["message"] is NSNull, "--message \"\" removes it")
        #expect(
            try workspace.sqlite(
                "hosting/registry.sqlite", "SELECT message IS NULL FROM maintenance_window WHERE id = 1") == "1")

        let cancelled = try workspace.jsonObject(["maintenance", "cancel", "--yes", "1", "--json"])
        #expect(cancelled["state"] as? String == "cancelled")
        let cancelledAt = try #require(F.date(cancelled["cancelled_at"]))
        #expect(abs(cancelledAt.timeIntervalSinceNow) < 60)
        #expect(
            try workspace.jsonArray(["maintenance", "list", "--json"]).isEmpty,
            "a cancelled window is not listed by default")
        let ended = try workspace.jsonArray(["maintenance", "list", "--include-ended", "--json"])
        #expect(ended.map { $0["state"] as? String } == ["cancelled"])
        #expect(
            try workspace.sqlite("hosting/registry.sqlite", "SELECT cancelled_at FROM maintenance_window WHERE id = 1")
                .hasSuffix("Z"))

        // A cancelled window cannot change any more; its establishments are free for a new one.
        let again = try workspace.transfert(["maintenance", "cancel", "--yes", "1"])
        #expect(again.status == 1, "\(again.transcript)")
        #expect(
            again.stderr.contains("maintenance window 1 is cancelled and cannot change any more"), "\(again.transcript)"
        )
        let edit = try workspace.transfert(["maintenance", "edit", "1", "--duration", "1h"])
        #expect(edit.status == 1 && edit.stderr.contains("cannot change any more"), "\(edit.transcript)")
        let missing = try workspace.transfert(["maintenance", "cancel", "--yes", "42"])
        #expect(
            missing.status == 1 && missing.stderr.contains("there is no maintenance window 42"), "\(missing.transcript)"
        )
        let missingJSON = try workspace.transfert(["maintenance", "cancel", "--yes", "42", "--json"])
        #expect(missingJSON.status == 1, "\(missingJSON.transcript)")
        #expect(
            ((try? workspace.json(missingJSON) as? [String: Any])?["error"] as? [String: Any])?["code"] as? String
                == "unknown_window",
            "\(missingJSON.transcript)")
        let next = try workspace.jsonObject([
            "maintenance", "plan", "--ids", "1", "--start", "\(y)-12-01 13:00", "--duration", "30m", "--json",
        ])
        #expect(next["number"] as? Int == 2)
    }

    @Test func aSecondWindowForTheSameEstablishmentIsRefusedAndNothingIsWritten() throws {
        let workspace = try F.workspace()
        let y = F.year
        try workspace.succeed([
            "maintenance", "plan", "--ids", "1,2", "--start", "\(y)-12-01 13:00", "--duration", "45m",
        ])

        // Another time does not help: one open window per establishment.
        let second = try workspace.transfert([
            "maintenance", "plan", "--ids", "2,3", "--start", "\(y)-12-08 13:00", "--duration", "45m",
        ])
        #expect(second.status == 1, "\(second.transcript)")
        #expect(
            second.stderr.contains(
                "establishment 2 already has maintenance window 1 (planned, 01/12/\(y) 13:00 to 01/12/\(y) 13:45)"),
            "\(second.transcript)")
        #expect(second.stderr.contains("cancel it first with `transfert maintenance cancel 1`"), "\(second.transcript)")
        #expect(!second.stdout.contains("Planned"), "\(second.transcript)")

        // With --json the refusal is one object with a stable code, on standard output, and the exit is still 1.
        let json = try workspace.transfert([
            "maintenance", "plan", "--ids", "2,3", "--start", "\(y)-12-08 13:00", "--duration", "45m", "--json",
        ])
        #expect(json.status == 1, "\(json.transcript)")
        let error = try #require(
            (try? workspace.json(json) as? [String: Any])?["error"] as? [String: Any], "\(json.transcript)")
        #expect(error["code"] as? String == "window_already_planned")
        #expect(
            (error["message"] as? String ?? "").contains("establishment 2 already has maintenance window 1"), "\(error)"
        )
        #expect(
            (error["message"] as? String ?? "").contains("cancel it first with `transfert maintenance cancel 1`"),
            "\(error)")

        let all = try workspace.transfert([
            "maintenance", "plan", "--all", "--start", "\(y)-12-08 13:00", "--duration", "45m",
        ])
        #expect(all.status == 1, "\(all.transcript)")
        #expect(all.stderr.contains("establishments 1, 2 already have maintenance window 1"), "\(all.transcript)")

        #expect(try workspace.jsonArray(["maintenance", "list", "--json"]).count == 1)
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM maintenance_window") == "1")
        #expect(
            try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM maintenance_window_structure") == "2")

        // Establishment 3 alone is free, and --all then overlaps both windows.
        let third = try workspace.jsonObject([
            "maintenance", "plan", "--ids", "3", "--start", "\(y)-12-08 13:00", "--duration", "45m", "--json",
        ])
        #expect(third["number"] as? Int == 2)
        #expect(try workspace.jsonArray(["maintenance", "list", "--json"]).count == 2)
    }

    @Test func aStartInThePastIsRefusedAndOnlyNowCutsServiceAtOnce() throws {
        let workspace = try F.workspace()
        // Every form of a past time, the README's own example date among them: refused, nothing planned,
        // with the time given and the time it is now in the hosting's zone, and the way to start at once.
        let yesterday = F.typed(Date().addingTimeInterval(-86_400))
        let secondsAgo = F.typed(Date().addingTimeInterval(-5))
        for past in ["2026-12-01 13:00", "01/01/2020 10:00", "2020-01-01T10:00:00Z", yesterday, secondsAgo] {
            for extra in [[], ["--dry-run"]] {
                let refused = try workspace.transfert(
                    ["maintenance", "plan", "--ids", "3", "--start", past, "--duration", "30m"] + extra)
                #expect(refused.status == 1, "\(refused.transcript)")
                #expect(refused.stderr.contains("is in the past: it is now "), "\(refused.transcript)")
                #expect(refused.stderr.contains("in Europe/Paris"), "\(refused.transcript)")
                #expect(refused.stderr.contains("use --start now to begin at once"), "\(refused.transcript)")
                #expect(
                    !refused.stdout.contains("Planned") && !refused.stdout.contains("would plan"),
                    "\(refused.transcript)")
            }
        }
        let text = try workspace.transfert([
            "maintenance", "plan", "--ids", "3", "--start", "01/01/2020 10:00", "--duration", "30m",
        ])
        #expect(text.stderr.contains("--start 01/01/2020 10:00:00 is in the past"), "\(text.transcript)")
        // --json: one error object with its stable code; the dry run says the same.
        for extra in [[], ["--dry-run"]] {
            let json = try workspace.transfert(
                ["maintenance", "plan", "--ids", "1,2", "--start", "2020-01-01 10:00", "--duration", "1h", "--json"]
                    + extra)
            #expect(json.status == 1)
            let error = try #require(
                (try workspace.json(json) as? [String: Any])?["error"] as? [String: Any], "\(json.transcript)")
            #expect(error["code"] as? String == "start_in_past")
        }
        #expect(
            try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM maintenance_window") == "0",
            "nothing was planned")
        #expect(
            try workspace.succeed(["maintenance", "preview", "--id", "3"]).stdout.contains("state: open"),
            "service is not cut")

        // `--start now` is said plainly, and cuts service at once.
        let before = Date()
        let now = try workspace.jsonObject([
            "maintenance", "plan", "--ids", "3", "--start", "now", "--duration", "10m", "--json",
        ])
        #expect(now["state"] as? String == "in progress")
        #expect(now["notices"] as? [String] == ["the window starts now: service is cut at once for establishment 3"])
        let start = try #require(F.date(now["start"]))
        #expect(start.timeIntervalSince(before) > -2 && start.timeIntervalSinceNow < 2)
        #expect(try #require(F.date(now["end"])).timeIntervalSince(start) == 10 * 60, "the duration counts from now")
        #expect(now["start"] as? String == F.iso(start), "shown with the Paris offset of the day")
        #expect(
            try workspace.sqlite("hosting/registry.sqlite", "SELECT starts_at FROM maintenance_window")
                == ISO8601DateFormatter().string(from: start), "stored in UTC, Z")

        // `maintenance edit` refuses a past start or end too.
        let edited = try workspace.transfert(["maintenance", "edit", "1", "--start", "2020-01-01 10:00"])
        #expect(
            edited.status == 1 && edited.stderr.contains("use --start now to begin at once"), "\(edited.transcript)")
        let ended = try workspace.transfert([
            "maintenance", "edit", "1", "--end", F.typed(Date().addingTimeInterval(-1)),
        ])
        #expect(ended.status == 1, "\(ended.transcript)")
    }

    @Test func aPastStartCanBeConfirmedOnATerminal() throws {
        let workspace = try F.workspace()
        let arguments = ["maintenance", "plan", "--ids", "2", "--start", "2020-01-01 10:00", "--duration", "20m"]
        let declined = try workspace.onTerminal(arguments, answer: "no")
        #expect(declined.transcript.contains("is in the past"), "\(declined.transcript)")
        #expect(declined.transcript.contains("Start it now instead?"), "\(declined.transcript)")
        #expect(declined.transcript.contains("Not confirmed: nothing was planned."), "\(declined.transcript)")
        #expect(declined.status == 1)
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM maintenance_window") == "0")
        let confirmed = try workspace.onTerminal(arguments, answer: "yes")
        #expect(confirmed.status == 0, "\(confirmed.transcript)")
        #expect(
            confirmed.transcript.contains("the window starts now: service is cut at once for establishment 2"),
            "\(confirmed.transcript)")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM maintenance_window") == "1")
    }

    @Test func aStartLessThanFiveMinutesAheadIsFlagged() throws {
        let workspace = try F.workspace()
        let soon = Date().addingTimeInterval(150)
        let short = try workspace.jsonObject([
            "maintenance", "plan", "--ids", "1", "--start", F.typed(soon), "--duration", "20m", "--json",
        ])
        #expect(short["state"] as? String == "planned")
        let notices = try #require(short["notices"] as? [String])
        #expect(notices.count == 1)
        #expect(notices.first?.contains("less than 5 minutes") == true, "\(notices)")
        #expect(notices.first?.hasPrefix("it starts in 2 min") == true, "\(notices)")
        #expect(notices.first?.contains("`transfert maintenance edit 1 --start …`") == true, "\(notices)")
        #expect(
            F.date(short["start"]) == Date(timeIntervalSince1970: soon.timeIntervalSince1970.rounded(.down)),
            "the local time typed is read in Europe/Paris")

        let text = try workspace.succeed([
            "maintenance", "plan", "--ids", "2", "--start", F.typed(Date().addingTimeInterval(100)), "--duration",
            "20m",
        ])
        #expect(text.stdout.contains("warning: it starts in 1 min, less than 5 minutes from now"), "\(text.transcript)")

        // Ten minutes ahead is enough: no warning.
        let later = try workspace.jsonObject([
            "maintenance", "plan", "--ids", "3", "--start", F.typed(Date().addingTimeInterval(600)), "--duration",
            "20m", "--json",
        ])
        #expect(later["notices"] as? [String] == [])
    }

    @Test func durationOrEndTimeZonesAndDaylightSaving() throws {
        let workspace = try F.workspace()
        let y = F.year
        let byEnd = try workspace.jsonObject([
            "maintenance", "plan", "--ids", "1", "--start", "\(y)-12-01 13:00", "--end", "\(y)-12-01 13:45", "--json",
        ])
        let byDuration = try workspace.jsonObject([
            "maintenance", "plan", "--ids", "2", "--start", "\(y)-12-01 13:00", "--duration", "45m", "--json",
        ])
        for key in ["start", "end", "duration_minutes", "warning", "during"] {
            #expect(
                byEnd[key] != nil && String(describing: byEnd[key]!) == String(describing: byDuration[key] ?? "nil"),
                "\(key): \(byEnd[key] ?? "nil") vs \(byDuration[key] ?? "nil")")
        }
        // Summer time: +02:00, two hours from UTC; 1h30 is ninety minutes.
        let summer = try workspace.jsonObject([
            "maintenance", "plan", "--ids", "3", "--start", "\(y)-07-01 08:30", "--duration", "1h30", "--json",
        ])
        #expect(summer["start"] as? String == "\(y)-07-01T08:30:00+02:00")
        #expect(summer["end"] as? String == "\(y)-07-01T10:00:00+02:00")
        #expect(summer["duration_minutes"] as? Int == 90)
        #expect(
            try workspace.sqlite(
                "hosting/registry.sqlite", "SELECT starts_at || ' ' || ends_at FROM maintenance_window ORDER BY id")
                == "\(y)-12-01T12:00:00Z \(y)-12-01T12:45:00Z\n\(y)-12-01T12:00:00Z \(y)-12-01T12:45:00Z\n\(y)-07-01T06:30:00Z \(y)-07-01T08:00:00Z"
        )

        // Another time_zone: the same stored windows are shown, and new times typed, in that zone.
        try workspace.replaceConfigurationLine("time_zone: \"Europe/Paris\"", with: "time_zone: \"America/Cayenne\"")
        let shown = try workspace.jsonArray(["maintenance", "list", "--json"])
        #expect(shown.first { $0["number"] as? Int == 1 }?["start"] as? String == "\(y)-12-01T09:00:00-03:00")
        try workspace.succeed(["maintenance", "cancel", "--yes", "1"])
        try workspace.succeed(["maintenance", "plan", "--ids", "1", "--start", "\(y)-12-01 13:00", "--duration", "45m"])
        #expect(
            try workspace.sqlite("hosting/registry.sqlite", "SELECT starts_at FROM maintenance_window WHERE id = 4")
                == "\(y)-12-01T16:00:00Z")
    }

    @Test func badTimesAreRefusedNamingTheOptionAndWriteNothing() throws {
        let workspace = try F.workspace()
        let y = F.year
        let word = try workspace.transfert([
            "maintenance", "plan", "--ids", "1", "--start", "demain", "--duration", "45m",
        ])
        #expect(word.status != 0, "\(word.transcript)")
        #expect(word.stderr.contains("--start 'demain' is not a time"), "\(word.transcript)")
        #expect(word.stderr.contains("2026-12-01 13:00"), "the message shows an accepted form: \(word.transcript)")

        let hour = try workspace.transfert([
            "maintenance", "plan", "--ids", "1", "--start", "\(y)-12-01 25:00", "--duration", "45m",
        ])
        #expect(
            hour.status != 0 && hour.stderr.contains("--start '\(y)-12-01 25:00' is not a time"), "\(hour.transcript)")

        // The hour skipped when clocks go forward in March does not exist in Europe/Paris.
        let newYear = try #require(F.date("\(y)-01-01T00:00:00Z"))
        let transition = try #require(F.paris.nextDaylightSavingTimeTransition(after: newYear))
        let skipped = F.typed(transition, format: "yyyy-MM-dd") + " 02:30"
        let gap = try workspace.transfert([
            "maintenance", "plan", "--ids", "1", "--start", skipped, "--duration", "45m",
        ])
        #expect(gap.status != 0, "\(gap.transcript)")
        #expect(
            gap.stderr.contains("--start '\(skipped)' is not a time") && gap.stderr.contains("exist in Europe/Paris"),
            "\(gap.transcript)")

        let badEnd = try workspace.transfert([
            "maintenance", "plan", "--ids", "1", "--start", "\(y)-12-01 13:00", "--end", "fin",
        ])
        #expect(badEnd.status != 0 && badEnd.stderr.contains("--end 'fin' is not a time"), "\(badEnd.transcript)")
        let badDuration = try workspace.transfert([
            "maintenance", "plan", "--ids", "1", "--start", "\(y)-12-01 13:00", "--duration", "longtemps",
        ])
        #expect(
            badDuration.status != 0 && badDuration.stderr.contains("--duration 'longtemps' is not a duration"),
            "\(badDuration.transcript)")

        let backwards = try workspace.transfert([
            "maintenance", "plan", "--ids", "1", "--start", "\(y)-12-01 13:00", "--end", "\(y)-12-01 12:00",
        ])
        #expect(backwards.status == 1, "\(backwards.transcript)")
        #expect(
            backwards.stderr.contains("the end (01/12/\(y) 12:00) is not after the start (01/12/\(y) 13:00)"),
            "\(backwards.transcript)")
        let empty = try workspace.transfert([
            "maintenance", "plan", "--ids", "1", "--start", "\(y)-12-01 13:00", "--end", "\(y)-12-01 13:00",
        ])
        #expect(empty.status == 1 && empty.stderr.contains("is not after the start"), "\(empty.transcript)")

        let both = try workspace.transfert([
            "maintenance", "plan", "--ids", "1", "--start", "\(y)-12-01 13:00", "--end", "\(y)-12-01 14:00",
            "--duration", "1h",
        ])
        #expect(both.status != 0 && both.stderr.contains("Give either --end or --duration"), "\(both.transcript)")
        let neither = try workspace.transfert(["maintenance", "plan", "--ids", "1", "--start", "\(y)-12-01 13:00"])
        #expect(
            neither.status != 0 && neither.stderr.contains("Give either --end or --duration"), "\(neither.transcript)")
        let noStart = try workspace.transfert(["maintenance", "plan", "--ids", "1", "--duration", "1h"])
        #expect(noStart.status != 0 && noStart.stderr.contains("--start"), "\(noStart.transcript)")
        let unknown = try workspace.transfert([
            "maintenance", "plan", "--ids", "1,9", "--start", "\(y)-12-01 13:00", "--duration", "1h",
        ])
        #expect(unknown.status == 1 && unknown.stderr.contains("no establishment has id 9"), "\(unknown.transcript)")

        // An edit that would end before it starts is refused too, and the window is left as it was.
        try workspace.succeed(["maintenance", "plan", "--ids", "1", "--start", "\(y)-12-01 13:00", "--duration", "45m"])
        let badEdit = try workspace.transfert(["maintenance", "edit", "1", "--end", "\(y)-12-01 12:59"])
        #expect(badEdit.status == 1 && badEdit.stderr.contains("is not after the start"), "\(badEdit.transcript)")

        #expect(
            try workspace.jsonArray(["maintenance", "list", "--json"]).map { $0["end"] as? String } == [
                "\(y)-12-01T13:45:00+01:00"
            ])
        #expect(
            try workspace.sqlite(
                "hosting/registry.sqlite", "SELECT COUNT(*) || ' ' || MAX(ends_at) FROM maintenance_window")
                == "1 \(y)-12-01T12:45:00Z")
    }

    @Test func locksAddListAndRelease() throws {
        let workspace = try F.workspace()
        let added = try workspace.jsonArray([
            "lock", "add", "--ids", "1,2", "--reason", "Transfert vers le nouveau serveur, retour à 14 h", "--json",
        ])
        #expect(added.count == 2)
        #expect(
            added.allSatisfy {
                $0["kind"] as? String == "webmaster"
                    && $0["reason"] as? String == "Transfert vers le nouveau serveur, retour à 14 h"
            })
        #expect(added.map { $0["base_id"] as? Int } == [1, 2])

        let admin = try workspace.succeed([
            "lock", "add", "--ids", "3", "--kind", "administrator", "--reason",
            "Fermé par l'administrateur de l'établissement",
        ])
        #expect(
            admin.stdout.contains("Release with `transfert lock release --ids 3 --kind administrator`"),
            "\(admin.transcript)")
        let two = try workspace.transfert(["lock", "add", "--ids", "1,3", "--kind", "administrator", "--reason", "x"])
        #expect(
            two.status != 0 && two.stderr.contains("An administrator lock is on one establishment"), "\(two.transcript)"
        )
        let allAdmin = try workspace.transfert(["lock", "add", "--all", "--kind", "administrator", "--reason", "x"])
        #expect(allAdmin.status != 0, "\(allAdmin.transcript)")
        let blank = try workspace.transfert(["lock", "add", "--ids", "1", "--reason", "   "])
        #expect(blank.status != 0 && blank.stderr.contains("--reason"), "\(blank.transcript)")
        let unknown = try workspace.transfert(["lock", "add", "--ids", "9", "--reason", "x"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no establishment has id 9"), "\(unknown.transcript)")
        let unknownJSON = try workspace.transfert(["lock", "add", "--ids", "1,9", "--reason", "x", "--json"])
        #expect(unknownJSON.status == 1, "\(unknownJSON.transcript)")
        #expect(
            ((try? workspace.json(unknownJSON) as? [String: Any])?["error"] as? [String: Any])?["code"] as? String
                == "unknown_establishment",
            "\(unknownJSON.transcript)")
        #expect(
            try workspace.sqlite(
                "hosting/registry.sqlite", "SELECT kind || '|' || reason FROM access_lock WHERE base_id = 1")
                == "webmaster|Transfert vers le nouveau serveur, retour à 14 h",
            "a refused lock changes nothing, not even on the known establishment")
        try workspace.succeed(["lock", "add", "--all", "--reason", "Migration du serveur"])

        let list = try workspace.jsonArray(["lock", "list", "--json"])
        #expect(list.count == 4, "\(list)")
        let everyone = try #require(list.first { $0["base_id"] == nil || $0["base_id"] is NSNull })
        #expect(everyone["kind"] as? String == "webmaster" && everyone["reason"] as? String == "Migration du serveur")
        let administrator = try #require(list.first { $0["kind"] as? String == "administrator" })
        #expect(administrator["base_id"] as? Int == 3)
        #expect(administrator["reason"] as? String == "Fermé par l'administrateur de l'établissement")
        #expect(list.allSatisfy { ($0["set_by"] as? String ?? "").contains("@") })
        // `since` in the hosting's zone (Europe/Paris), as /status and `maintenance preview --json` write times.
        for lock in list {
            let since = lock["since"] as? String ?? ""
            let date = try #require(F.date(since), "\(lock)")
            let paris = ISO8601DateFormatter()
            paris.timeZone = TimeZone(identifier: "Europe/Paris")
            #expect(since == paris.string(from: date) && !since.hasSuffix("Z"), "\(lock)")
        }
        #expect(
            try workspace.sqlite(
                "hosting/registry.sqlite", "SELECT kind || ':' || IFNULL(base_id, 'all') FROM access_lock ORDER BY id")
                == "webmaster:1\nwebmaster:2\nadministrator:3\nwebmaster:all")
        let setAgain = try workspace.jsonArray(["lock", "add", "--ids", "2", "--reason", "Encore", "--json"])
        #expect(
            setAgain.allSatisfy {
                ($0["since"] as? String ?? "").hasSuffix("+01:00") || ($0["since"] as? String ?? "").hasSuffix("+02:00")
            }, "\(setAgain)")

        // Setting it again replaces the reason; it does not add a lock.
        let replaced = try workspace.succeed(["lock", "add", "--ids", "1", "--reason", "Nouvelle raison"])
        #expect(
            replaced.stdout.contains("replaced the reason \"Transfert vers le nouveau serveur, retour à 14 h\""),
            "\(replaced.transcript)")
        #expect(try workspace.jsonArray(["lock", "list", "--json"]).count == 4)

        // By default: the webmaster's locks, never the administrator's.
        let released = try workspace.jsonArray(["lock", "release", "--yes", "--ids", "1,3", "--json"])
        #expect(released.map { "\($0["kind"] as? String ?? ""):\($0["base_id"] as? Int ?? 0)" } == ["webmaster:1"])
        #expect(released.allSatisfy { !($0["since"] as? String ?? "Z").hasSuffix("Z") }, "\(released)")
        let adminKept = try workspace.succeed(["lock", "release", "--yes", "--ids", "3"])
        #expect(adminKept.stdout.contains("No webmaster or automatic lock to release."), "\(adminKept.transcript)")
        #expect(
            try workspace.jsonArray(["lock", "list", "--json"]).contains { $0["kind"] as? String == "administrator" })

        // --all: the lock on every establishment and the webmaster's on each one; still not the administrator's.
        let all = try workspace.jsonArray(["lock", "release", "--yes", "--all", "--json"])
        #expect(
            Set(
                all.map {
                    "\($0["kind"] as? String ?? ""):\($0["base_id"].flatMap { $0 as? Int }.map(String.init) ?? "all")"
                }) == ["webmaster:all", "webmaster:2"])
        let left = try workspace.jsonArray(["lock", "list", "--json"])
        #expect(left.count == 1 && left.first?["kind"] as? String == "administrator", "\(left)")

        let adminReleased = try workspace.succeed(["lock", "release", "--yes", "--ids", "3", "--kind", "administrator"])
        #expect(
            adminReleased.stdout.contains("Released the administrator lock on establishment 3"),
            "\(adminReleased.transcript)")
        #expect(try workspace.jsonArray(["lock", "list", "--json"]).isEmpty)
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM access_lock") == "0")
    }

    @Test func whatUsersSeeFollowsThePrecedenceOfLocksAndWindows() throws {
        let workspace = try F.workspace()
        let y = F.year
        func preview(_ id: Int, at time: String? = nil) throws -> [String: Any] {
            try workspace.jsonObject(
                ["maintenance", "preview", "--id", String(id), "--json"] + (time.map { ["--at", $0] } ?? []))
        }
        let open = try preview(2)
        #expect(open["state"] as? String == "open")
        #expect(open["message"] == nil || open["message"] is NSNull)
        #expect((open["establishment"] as? [String: Any])?["name"] as? String == "École primaire Jules Ferry")
        #expect((open["establishment"] as? [String: Any])?["place"] as? String == "Châlons-en-Champagne")

        try workspace.succeed([
            "maintenance", "plan", "--ids", "2", "--start", "\(y)-12-01 13:00", "--duration", "45m", "--message",
            "Merci de votre patience.",
        ])
        let warned = try preview(2)
        #expect(warned["state"] as? String == "warning")
        #expect(warned["message"] as? String == F.databaseWarning(("01/12/\(y)", "13:00"), ("01/12/\(y)", "13:45")))
        #expect(warned["note"] as? String == "Merci de votre patience.")
        #expect((warned["window"] as? [String: Any])?["state"] as? String == "planned")

        // An automatic lock (kept after an export) comes before the planned window's warning.
        try workspace.succeed(["export", "--ids", "2", "--keep-locked", "--out", workspace.path("out")])
        let automatic = try preview(2)
        #expect(automatic["state"] as? String == "locked")
        #expect((automatic["lock"] as? [String: Any])?["kind"] as? String == "automatic")
        #expect((automatic["lock"] as? [String: Any])?["purpose"] as? String == "moved")
        #expect(try workspace.jsonArray(["lock", "list", "--json"]).first?["purpose"] as? String == "moved")

        // The administrator's lock comes before the automatic one.
        try workspace.succeed(["lock", "add", "--ids", "2", "--kind", "administrator", "--reason", "Conseil de classe"])
        let administrator = try preview(2)
        #expect(administrator["state"] as? String == "locked")
        #expect((administrator["lock"] as? [String: Any])?["kind"] as? String == "administrator")
        #expect(
            administrator["message"] as? String
                == "L'accès à \(F.application) est momentanément fermé : Conseil de classe")
        #expect(
            (administrator["locks"] as? [[String: Any]])?.map { $0["kind"] as? String } == [
                "administrator", "automatic",
            ])
        #expect(administrator["retry_after"] == nil || administrator["retry_after"] is NSNull)

        // During the window: the window comes before the administrator's and automatic locks.
        let during = try preview(2, at: "\(y)-12-01 13:10")
        #expect(during["state"] as? String == "maintenance")
        #expect(during["message"] as? String == F.databaseDuring(("01/12/\(y)", "13:45")))
        #expect(during["retry_after"] as? Int == 35 * 60)
        #expect(during["until"] as? String == "\(y)-12-01T13:45:00+01:00")
        #expect(during["lock"] == nil || during["lock"] is NSNull)
        #expect((during["locks"] as? [[String: Any]])?.count == 2)
        #expect((during["window"] as? [String: Any])?["state"] as? String == "in progress")

        // The webmaster's lock on the establishment comes before the window, the one on all before that.
        try workspace.succeed(["lock", "add", "--ids", "2", "--reason", "Transfert en cours"])
        let webmaster = try preview(2, at: "\(y)-12-01 13:10")
        #expect(webmaster["state"] as? String == "locked")
        #expect((webmaster["lock"] as? [String: Any])?["reason"] as? String == "Transfert en cours")
        #expect(
            (webmaster["window"] as? [String: Any])?["state"] as? String == "in progress", "the window is still named")
        #expect(webmaster["retry_after"] == nil || webmaster["retry_after"] is NSNull)
        try workspace.succeed(["lock", "add", "--all", "--reason", "Migration du serveur"])
        let everyone = try preview(2, at: "\(y)-12-01 13:10")
        #expect((everyone["lock"] as? [String: Any])?["reason"] as? String == "Migration du serveur")
        #expect(
            (everyone["locks"] as? [[String: Any]])?.map { $0["kind"] as? String } == [
                "webmaster", "webmaster", "administrator", "automatic",
            ])
        #expect(try preview(1)["state"] as? String == "locked", "the lock on all reaches establishment 1")

        // Released (the webmaster's and the automatic one): the window shows again, then only the administrator's lock.
        try workspace.succeed(["lock", "release", "--yes", "--all"])
        #expect(try preview(2, at: "\(y)-12-01 13:10")["state"] as? String == "maintenance")
        #expect(try preview(2)["state"] as? String == "locked")
        try workspace.succeed(["lock", "release", "--yes", "--ids", "2", "--kind", "administrator"])
        #expect(try preview(2)["state"] as? String == "warning")
        #expect(
            try preview(2, at: "\(y)-12-01 13:45")["state"] as? String == "open", "the end is excluded: service is back"
        )
        #expect(try preview(1)["state"] as? String == "open")

        let text = try workspace.succeed(["maintenance", "preview", "--id", "2", "--at", "\(y)-12-01 13:10"])
        #expect(text.stdout.contains("the portal answers HTTP 503 with Retry-After: 2100"), "\(text.transcript)")
        let missing = try workspace.transfert(["maintenance", "preview", "--id", "9"])
        #expect(missing.status == 1 && missing.stderr.contains("no establishment has id 9"), "\(missing.transcript)")
    }

    /// `preview --at` shows the state at that time, not today's: a lock set now was not there before, a
    /// window planned now did not exist before it was planned, and both are there later.
    @Test func previewAtAnotherTimeShowsTheLocksAndWindowsOfThatTime() throws {
        let workspace = try F.workspace()
        let y = F.year
        func preview(_ id: Int, at time: String) throws -> [String: Any] {
            try workspace.jsonObject(["maintenance", "preview", "--id", String(id), "--at", time, "--json"])
        }
        let yesterday = F.typed(Date().addingTimeInterval(-86_400))
        try workspace.succeed(["maintenance", "plan", "--ids", "2", "--start", "\(y)-12-01 13:00", "--duration", "45m"])
        try workspace.succeed(["lock", "add", "--ids", "1", "--reason", "Transfert en cours"])
        try workspace.succeed(["lock", "add", "--ids", "3", "--kind", "administrator", "--reason", "Conseil de classe"])
        // Yesterday: neither the locks nor the window existed.
        for id in [1, 2, 3] {
            let before = try preview(id, at: yesterday)
            #expect(before["state"] as? String == "open", "establishment \(id) yesterday: \(before)")
            #expect((before["locks"] as? [Any])?.isEmpty == true, "\(before)")
        }
        let text = try workspace.succeed(["maintenance", "preview", "--id", "1", "--at", yesterday])
        #expect(text.stdout.contains("state: open — the portal answers HTTP 200"), "\(text.transcript)")
        // Now and later: the locks hold (they have no end), the window is planned, then in progress, then over.
        #expect(try preview(1, at: "\(y)-12-01 13:10")["state"] as? String == "locked")
        #expect(try preview(3, at: "\(y)-12-01 13:10")["state"] as? String == "locked")
        #expect(try preview(2, at: F.typed(Date().addingTimeInterval(60)))["state"] as? String == "warning")
        #expect(try preview(2, at: "\(y)-12-01 13:10")["state"] as? String == "maintenance")
        #expect(try preview(2, at: "\(y)-12-01 13:45")["state"] as? String == "open")
        // Released: gone from every time.
        try workspace.succeed(["lock", "release", "--yes", "--ids", "1"])
        #expect(try preview(1, at: "\(y)-12-01 13:10")["state"] as? String == "open")
    }

    @Test func warningLetterAnnouncesTheWindowInFrench() throws {
        let workspace = try F.workspace()
        let y = F.year
        try workspace.succeed([
            "maintenance", "plan", "--ids", "1", "--start", "\(y)-12-01 13:00", "--duration", "45m",
            "--message", "Les bulletins déjà édités restent consultables.",
        ])
        try workspace.succeed([
            "maintenance", "plan", "--ids", "2", "--start", "\(y)-12-02 07:30", "--end", "\(y)-12-02 09:00", "--type",
            "deployment",
        ])

        let written = try workspace.succeed(["letters", "--template", "maintenance-warning", "--ids", "1,2"])
        #expect(written.stdout.contains("2 letters written"), "\(written.transcript)")
        let files = try FileManager.default.contentsOfDirectory(atPath: workspace.path("hosting/outbox")).filter {
            $0.hasSuffix(".eml")
        }.sorted()
        #expect(files.count == 2)
        let messages = try inspectEmails(files.map { workspace.path("hosting/outbox/\($0)") })
        let lycee = try #require(
            messages.first { ($0["to"] as? [[String: String]])?.first?["address"] == "paul.michel@ac-aix-marseille.fr" }
        )
        #expect(
            lycee["subject"] as? String == "Lycée Marie Curie : maintenance du 01/12/\(y) 13:00 au 01/12/\(y) 13:45")
        #expect(
            (lycee["raw_subject"] as? String ?? "").contains("Subject: =?UTF-8?"),
            "the accented subject is encoded (RFC 2047)")
        #expect((lycee["to"] as? [[String: String]])?.first?["name"] == "Paul Michel")
        #expect((lycee["defects"] as? [String]) == [])
        #expect(lycee["ascii"] as? Bool == true)
        #expect(lycee["charset"] as? String == "utf-8")
        let body = lycee["body"] as? String ?? ""
        #expect(body.hasPrefix("Bonjour Paul Michel,\n"), "\(body)")
        #expect(body.contains("l'établissement Lycée Marie Curie (UAI 0593731K), Nîmes."), "\(body)")
        #expect(
            body.contains("\n\(F.databaseWarning(("01/12/\(y)", "13:00"), ("01/12/\(y)", "13:45")))\n"),
            "the warning sentence on its own:\n\(body)")
        #expect(
            body.contains("\nLes bulletins déjà édités restent consultables.\n"), "the operator's message:\n\(body)")
        #expect(body.contains("\n    https://a.example.org/sacoche/?id=1\n"), "\(body)")
        #expect(
            body.contains("Hélène Dupré\nWebmestre du serveur serveur-a\nwebmestre@hebergeur-scolaire.fr"), "\(body)")

        let ecole = try #require(
            messages.first { ($0["to"] as? [[String: String]])?.first?["address"] == "enora.remy@ac-montpellier.fr" })
        #expect(
            ecole["subject"] as? String
                == "École primaire Jules Ferry : nouvelle version du 02/12/\(y) 07:30 au 02/12/\(y) 09:00")
        #expect((ecole["to"] as? [[String: String]])?.first?["name"] == "Énora Rémy")
        let ecoleBody = ecole["body"] as? String ?? ""
        #expect(ecoleBody.hasPrefix("Bonjour Énora Rémy,\n"), "\(ecoleBody)")
        #expect(
            ecoleBody.contains(
                "Une nouvelle version sera installée entre le 02/12/\(y) à 07:30 et le 02/12/\(y) à 09:00. \(F.application) sera donc indisponible durant cette période."
            ),
            "\(ecoleBody)")

        // Establishment 3 has no window: refused, alone or with others, and no letter is written or replaced.
        for ids in ["3", "1,3"] {
            let refused = try workspace.transfert(["letters", "--template", "maintenance-warning", "--ids", ids])
            #expect(refused.status == 1, "\(refused.transcript)")
            #expect(
                refused.stderr.contains("establishment 3 has no planned maintenance window"), "\(refused.transcript)")
            #expect(!refused.stderr.contains("establishment 1 has"), "\(refused.transcript)")
        }
        let after = try FileManager.default.contentsOfDirectory(atPath: workspace.path("hosting/outbox")).filter {
            $0.hasSuffix(".eml")
        }.sorted()
        #expect(after == files, "the outbox is unchanged")
        #expect(try workspace.jsonArray(["outbox", "list", "--json"]).count == 2)

        // A cancelled window is not announced any more.
        try workspace.succeed(["maintenance", "cancel", "--yes", "2"])
        let cancelled = try workspace.transfert(["letters", "--template", "maintenance-warning", "--ids", "2"])
        #expect(
            cancelled.status == 1 && cancelled.stderr.contains("establishment 2 has no planned maintenance window"),
            "\(cancelled.transcript)")
    }

    /// Whether nothing was written at `path`: no directory, or an empty one.
    func missingOrEmpty(_ path: String) -> Bool {
        (try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty ?? true
    }

    @Test func requireMaintenanceWindowRefusesExportOutsideAWindowInProgress() throws {
        let workspace = try F.workspace()
        try workspace.replaceConfigurationLine(
            "require_maintenance_window: false", with: "require_maintenance_window: true")
        let out = workspace.path("out")

        let refused = try workspace.transfert(["export", "--ids", "1", "--out", out])
        #expect(refused.status == 1, "\(refused.transcript)")
        #expect(
            refused.stderr.contains(
                "export refused: require_maintenance_window is on in transfert.yaml and no maintenance window is in progress for establishment 1"
            ),
            "\(refused.transcript)")
        #expect(
            refused.stderr.contains("`transfert maintenance plan --ids 1 --start now --duration 1h --type database`"),
            "\(refused.transcript)")
        #expect(missingOrEmpty(out), "nothing written")
        #expect(try workspace.jsonArray(["lock", "list", "--json"]).isEmpty, "no lock left behind")

        // A window planned later does not cover the export now.
        try workspace.succeed([
            "maintenance", "plan", "--ids", "1", "--start", "\(F.year)-12-01 13:00", "--duration", "1h",
        ])
        let planned = try workspace.transfert(["export", "--ids", "1", "--out", out])
        #expect(
            planned.status == 1 && planned.stderr.contains("require_maintenance_window is on"), "\(planned.transcript)")
        try workspace.succeed(["maintenance", "cancel", "--yes", "1"])

        let now = try workspace.succeed(["maintenance", "plan", "--ids", "1", "--start", "now", "--duration", "1h"])
        #expect(now.stdout.contains("in progress"), "\(now.transcript)")
        let exported = try workspace.succeed(["export", "--ids", "1", "--out", out])
        #expect(exported.stdout.contains("CSV: "), "\(exported.transcript)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(
            names.filter { $0.hasPrefix("bases_dump_") && ($0.hasSuffix(".csv") || $0.hasSuffix(".zip")) }.count == 2,
            "\(names)")

        // Each establishment must be covered: 2 is named, 1 is not.
        let partly = try workspace.transfert(["export", "--ids", "1,2", "--out", workspace.path("out2")])
        #expect(partly.status == 1, "\(partly.transcript)")
        #expect(
            partly.stderr.contains("no maintenance window is in progress for establishment 2;"), "\(partly.transcript)")
        #expect(missingOrEmpty(workspace.path("out2")))

        // Off again: export works without a window.
        try workspace.replaceConfigurationLine(
            "require_maintenance_window: true", with: "require_maintenance_window: false")
        try workspace.succeed(["export", "--ids", "2", "--out", workspace.path("out3")])
    }
}
