import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct MaintenanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maintenance", abstract: "Plan maintenance windows: users are warned before, kept out during.",
        discussion: """
            One window per establishment at a time (planned or in progress). Its state follows the clock: \
            planned, in progress, finished, cancelled. Times are typed and shown in the hosting's time zone \
            (time_zone in transfert.yaml, default Europe/Paris). Users see the messages on the portal \
            (`transfert serve`); `transfert letters --template maintenance-warning --ids …` warns contacts.
            Examples: transfert maintenance plan --ids 12,13 --start "2026-12-01 13:00" --end "2026-12-01 13:45"
                      transfert maintenance plan --all --start now --duration 30m --type deployment
                      transfert maintenance preview --id 12 --at "2026-12-01 13:10"
            """,
        subcommands: [Plan.self, List.self, Edit.self, Cancel.self, Preview.self]
    ).namingRootOptions()

    struct Plan: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Plan a window for establishments (--ids) or all of them (--all).",
            discussion: """
                Give --end or --duration. A start in the past is refused (with the time it is now in the hosting's \
                zone): give --start now to cut service at once; on a terminal, the command offers to start now. \
                --dry-run makes every check, the same refusals included, and plans nothing.
                """
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions
        @OptionGroup var selection: SelectionOptions
        @OptionGroup var times: WindowTimeOptions

        @Option(
            name: .long,
            help: ArgumentHelp("database (default) or deployment: decides what users read.", valueName: "type"))
        var type: MaintenanceType = .database

        @Option(name: .long, help: ArgumentHelp("Your own words, shown under the standard message.", valueName: "text"))
        var message: String?

        @Flag(name: .customLong("dry-run"), help: "Check everything and show what users would read; plan nothing.")
        var dryRun = false

        func validate() throws {
            if selection.ids == nil && !selection.all {
                throw ValidationError("Choose the establishments: --ids 12,13 or --all.")
            }
            if times.start == nil { throw ValidationError("Give --start \"2026-12-01 13:00\" (or now).") }
            if (times.end == nil) == (times.duration == nil) {
                throw ValidationError("Give either --end or --duration (e.g. --duration 45m).")
            }
        }

        func run() throws {
            try reportingErrors(json: output.json) {
                let hosting = try hostingOptions.open()
                // One clock for the typed times and the schedule: `--start now` is then exactly the schedule's now.
                let now = MaintenanceTime.wholeSeconds(Date())
                let scope: MaintenanceScope = selection.ids.map { .establishments(Array(Set($0)).sorted()) } ?? .all
                var request = MaintenanceSchedule.Request(
                    scope: scope, type: type, start: try times.startDate(hosting: hosting, now: now)!,
                    end: try times.endValue(hosting: hosting, now: now)!, message: message)
                let outcome: MaintenanceSchedule.Outcome
                do {
                    outcome = try schedule(of: hosting, now: { now }).plan(request, dryRun: dryRun)
                } catch let error as MaintenanceError
                    where error.isStartInPast && !dryRun && !output.json && isatty(STDIN_FILENO) == 1
                {
                    // On a terminal the operator may mean it: asked, never assumed. Scripts get the refusal.
                    try Confirmation(
                        consequences: [
                            "Error: \(error)",
                            "Start it now instead? Service is cut at once for \(describe(scope)).",
                        ],
                        refusal: "Not confirmed: nothing was planned."
                    ).ask(yes: false, command: "maintenance plan")
                    let answered = MaintenanceTime.wholeSeconds(Date())
                    request.start = answered
                    outcome = try schedule(of: hosting, now: { answered }).plan(request)
                }
                try show(outcome, hosting: hosting, verb: dryRun ? "Dry run: would plan" : "Planned", json: output.json)
                if dryRun && !output.json { print("Nothing was planned: run it again without --dry-run.") }
            }
        }
    }

    struct List: ParsableCommand, TransfertSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the planned and in-progress windows."
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert

        @Flag(name: .customLong("include-ended"), help: "Also list finished and cancelled windows.")
        var includeEnded = false

        func run() throws {
            try reportingErrors(json: output.json) {
                let hosting = try hostingOptions.open()
                let now = Date()
                let windows = try schedule(of: hosting).windows(includeEnded: includeEnded)
                if output.json {
                    return try printJSON(
                        windows.map { MaintenanceWindowReport($0, at: now, settings: hosting.accessSettings) })
                }
                let time = MaintenanceTime(timeZone: hosting.configuration.timeZone)
                var table = TextTable(columns: [
                    .init("N°", alignment: .right), .init("State"), .init("Type"), .init("Establishments"),
                    .init("Start"), .init("End"), .init("Duration"), .init("Message"),
                ])
                for window in windows {
                    table.append([
                        String(window.number ?? 0), window.state(at: now).rawValue, window.type.rawValue,
                        window.scope.description,
                        time.dayAndClock(window.start), time.dayAndClock(window.end),
                        MaintenanceTime.describe(window.duration),
                        window.message ?? "",
                    ])
                }
                print(table.render())
                print(
                    "\(windows.count) window\(windows.count == 1 ? "" : "s")\(includeEnded ? "" : " planned or in progress") (times in \(hosting.configuration.timeZoneIdentifier))"
                )
            }
        }
    }

    struct Edit: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(
            commandName: "edit",
            abstract: "Change a planned or in-progress window's times, type or message.",
            discussion:
                "A new --start keeps the duration unless --end or --duration is given; a --start or --end in the past is refused (--start now, --end now). --message \"\" removes the message. To change the establishments, cancel and plan again."
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions
        @OptionGroup var times: WindowTimeOptions

        @Argument(help: ArgumentHelp("The window's number (maintenance list).", valueName: "N"))
        var number: Int64

        @Option(name: .long, help: ArgumentHelp("database or deployment.", valueName: "type"))
        var type: MaintenanceType?

        @Option(name: .long, help: ArgumentHelp("Your own words, shown under the standard message.", valueName: "text"))
        var message: String?

        func validate() throws {
            if times.end != nil && times.duration != nil {
                throw ValidationError("Give --end or --duration, not both.")
            }
            if times.start == nil && times.end == nil && times.duration == nil && type == nil && message == nil {
                throw ValidationError("Nothing to change: give --start, --end, --duration, --type or --message.")
            }
        }

        func run() throws {
            try reportingErrors(json: output.json) {
                let hosting = try hostingOptions.open()
                // One clock for the typed times and the schedule: `--start now` is then exactly the schedule's now.
                let now = MaintenanceTime.wholeSeconds(Date())
                let changes = MaintenanceSchedule.Changes(
                    type: type, start: try times.startDate(hosting: hosting, now: now),
                    end: try times.endValue(hosting: hosting, now: now), message: message)
                let outcome = try schedule(of: hosting, now: { now }).edit(number, changes)
                try show(outcome, hosting: hosting, verb: "Changed", json: output.json)
            }
        }
    }

    struct Cancel: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(
            commandName: "cancel", abstract: "Cancel a planned or in-progress window (service returns at once)."
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions
        @OptionGroup var confirmation: ConfirmationOptions

        @Argument(help: ArgumentHelp("The window's number (maintenance list).", valueName: "N"))
        var number: Int64

        func run() throws {
            try reportingErrors(json: output.json) {
                let hosting = try hostingOptions.open()
                let before = try schedule(of: hosting).openWindow(number, at: Date())
                try Confirmation(
                    consequences: [
                        "This cancels maintenance window \(number) (\(describe(before.scope))): "
                            + (before.state(at: Date()) == .inProgress
                                ? "users get access back at once."
                                : "it will not take place, and the warnings sent about it are void.")
                    ],
                    refusal: "Not confirmed: window \(number) is unchanged."
                ).ask(yes: confirmation.yes, command: "maintenance cancel")
                let cancelled = try schedule(of: hosting).cancel(number)
                if output.json {
                    return try printJSON(
                        MaintenanceWindowReport(cancelled, at: Date(), settings: hosting.accessSettings))
                }
                let wasInProgress = before.state(at: cancelled.cancelledAt ?? Date()) == .inProgress
                print(
                    "Cancelled maintenance window \(number) (\(describe(cancelled.scope))): \(wasInProgress ? "it was in progress; service is back now." : "it will not take place.")"
                )
            }
        }
    }

    struct Preview: ParsableCommand, TransfertSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "preview",
            abstract: "Show what the users of an establishment see, now or at a given time.",
            discussion:
                "The same answer as the portal's /status?id=N (with --json) and the page /?id=N. --at may be in the past or the future: the windows and locks as they are (or will be) then."
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert

        @Option(name: .long, help: ArgumentHelp("The establishment.", valueName: "id"))
        var id: Int64

        @Option(name: .long, help: ArgumentHelp("When (default: now), e.g. \"2026-12-01 13:10\".", valueName: "time"))
        var at: String?

        func run() throws {
            try reportingErrors(json: output.json) {
                let hosting = try hostingOptions.open()
                let now = Date()
                let moment =
                    try at.map {
                        try MaintenanceTime(timeZone: hosting.configuration.timeZone).parse(
                            $0, option: "--at", now: now)
                    } ?? now
                let access = HostingAccess(registry: hosting.registry, settings: hosting.accessSettings)
                guard let state = try access.state(baseID: id, at: moment) else {
                    throw MaintenanceError.unknownEstablishments([id])
                }
                if output.json { return try printJSON(state) }
                let time = MaintenanceTime(timeZone: hosting.configuration.timeZone)
                print(
                    "Establishment \(id), \(state.establishment.name), at \(time.dayAndClock(moment)) (\(hosting.configuration.timeZoneIdentifier)):"
                )
                let http =
                    state.state == .moved ? "301 to \(state.movedTo ?? "?")" : state.state.isClosed ? "503" : "200"
                print(
                    "  state: \(state.state.rawValue) — the portal answers HTTP \(http)\(state.retryAfter.map { " with Retry-After: \($0)" } ?? "")"
                )
                if let message = state.message { print("  users read: \(message)") }
                if let note = state.note { print("  and: \(note)") }
                if let disconnect = state.disconnect {
                    print(
                        "  connected users are told: \(disconnect.message) (session closed after \(disconnect.afterSeconds) s)"
                    )
                }
                if state.locks.count > 1 || (state.locks.count == 1 && state.lock == nil) {
                    print(
                        "  locks in force: "
                            + state.locks.map { "\($0.kind.rawValue) (\($0.reason))" }.joined(separator: ", "))
                }
            }
        }
    }
}

/// Prints a window just planned or changed, with what the operator should know.
private func show(_ outcome: MaintenanceSchedule.Outcome, hosting: Hosting, verb: String, json: Bool) throws {
    let now = Date()
    let report = MaintenanceWindowReport(
        outcome.window, at: now, settings: hosting.accessSettings, notices: outcome.notices)
    if json { return try printJSON(report) }
    let window = outcome.window
    let time = MaintenanceTime(timeZone: hosting.configuration.timeZone)
    let who = describe(window.scope)
    print(
        "\(verb) maintenance window\(window.number.map { " \($0)" } ?? "") (\(window.type.rawValue), \(report.state.rawValue)) for \(who): \(time.dayAndClock(window.start)) to \(time.dayAndClock(window.end)) (\(hosting.configuration.timeZoneIdentifier), \(MaintenanceTime.describe(window.duration)))."
    )
    for notice in report.notices { print("warning: \(notice)") }
    if report.state == .planned { print("Users read, before it: \(report.warning)") }
    print("\(report.state == .planned ? "During it" : "Users read now"): \(report.during)")
    if let message = window.message { print("With your message: \(message)") }
    if report.state == .planned && window.number != nil {
        print(
            "Warn the contacts with `transfert letters --template maintenance-warning --ids \(window.scope == .all ? "…" : window.scope.description)`."
        )
    }
}

/// The schedule of `hosting`'s registry, its times in the hosting's time zone, on the clock `now`.
private func schedule(of hosting: Hosting, now: @escaping @Sendable () -> Date = { Date() }) -> MaintenanceSchedule {
    MaintenanceSchedule(registry: hosting.registry, time: hosting.accessSettings.time, now: now)
}

/// "every establishment", "establishment 3", "establishments 3, 4".
private func describe(_ scope: MaintenanceScope) -> String {
    switch scope {
    case .all: return "every establishment"
    case .establishments(let ids):
        return ids.count == 1
            ? "establishment \(ids[0])" : "establishments \(ids.map(String.init).joined(separator: ", "))"
    }
}

extension MaintenanceType: ExpressibleByArgument {}
