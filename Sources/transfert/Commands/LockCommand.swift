import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct LockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock", abstract: "Lock establishments against access, list locks, release them.",
        discussion: """
            Three kinds, as in SACoche: webmaster (one, several or all establishments: --all), \
            administrator (one establishment, on behalf of its administrator), automatic (taken by export \
            and import while they work; kept after `export --keep-locked`). Users see the reason on the \
            portal (`transfert serve`). When several apply, users see: the webmaster's lock on all, the \
            webmaster's on the establishment, a maintenance window in progress, the administrator's, then \
            an automatic one.
            Examples: transfert lock add --ids 12,13 --reason "Transfert vers le nouveau serveur"
                      transfert lock add --all --reason "Migration du serveur, retour à 14 h"
                      transfert lock release --ids 12,13
            """,
        subcommands: [List.self, Add.self, Release.self]
    ).namingRootOptions()

    struct List: ParsableCommand, TransfertSubcommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the locks in force (automatic locks whose holder stopped are cleared and named)."
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert

        func run() throws {
            try reportingErrors(json: output.json) {
                let hosting = try hostingOptions.open()
                let access = HostingAccess(registry: hosting.registry, settings: hosting.accessSettings)
                let (locks, cleared) = try access.locks()
                for lock in cleared {
                    printError(
                        "note: the automatic lock of establishment \(lock.baseID) was stale (its holder, \(lock.ownerPID.map { "process \($0)" } ?? "?") on \(lock.ownerHost ?? "?"), stopped refreshing it at \(lock.refreshedAt ?? lock.createdAt)) and was cleared"
                    )
                }
                if output.json {
                    return try printJSON(
                        locks.map { $0.shown(in: MaintenanceTime(timeZone: hosting.configuration.timeZone)) })
                }
                var table = TextTable(columns: [
                    .init("Kind"), .init("Id", alignment: .right), .init("Reason"), .init("Set by"), .init("Since"),
                ])
                for lock in locks {
                    let setBy = lock.kind == .automatic ? (lock.setBy ?? "kept after export") : (lock.setBy ?? "?")
                    table.append([
                        lock.kind.rawValue + (lock.purpose.map { " (\($0.rawValue))" } ?? ""),
                        lock.baseID.map(String.init) ?? "all", lock.reason, setBy, lock.since,
                    ])
                }
                print(table.render())
                print("\(locks.count) lock\(locks.count == 1 ? "" : "s")")
            }
        }
    }

    struct Add: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Lock establishments: users see the reason until the lock is released.",
            discussion: "Setting a lock of the same kind again replaces its reason."
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions
        @OptionGroup var selection: SelectionOptions

        @Option(
            name: .long,
            help: ArgumentHelp("What users read (French by default), e.g. \"Transfert en cours\".", valueName: "text"))
        var reason: String

        @Option(
            name: .long,
            help: ArgumentHelp("webmaster (default) or administrator (one establishment).", valueName: "kind"))
        var kind: AccessLock.Kind = .webmaster

        func validate() throws {
            if selection.ids == nil && !selection.all {
                throw ValidationError("Choose the establishments: --ids 12,13 or --all.")
            }
            if kind == .automatic {
                throw ValidationError(
                    "Automatic locks are taken by export and import; add a webmaster or administrator lock.")
            }
            if kind == .administrator && (selection.all || selection.ids?.count != 1) {
                throw ValidationError("An administrator lock is on one establishment: give --ids with one id.")
            }
            if case .failure(let problem) = UserFacingText.checked(
                reason, maximum: AccessLock.maximumReasonLength, allowsLineBreaks: false)
            {
                throw ValidationError("--reason \(problem).")
            }
        }

        func run() throws {
            try reportingErrors(json: output.json) {
                let hosting = try hostingOptions.open()
                let scopes: [Int64?]
                if let ids = selection.ids {
                    let unknown = try ids.filter { try hosting.registry.structure(baseID: $0) == nil }
                    guard unknown.isEmpty else { throw MaintenanceError.unknownEstablishments(unknown) }
                    scopes = ids
                } else {
                    scopes = [nil]
                }
                let since = ISO8601DateFormatter().string(from: Date())
                var set: [AccessLock] = []
                var replaced: [AccessLock] = []
                for baseID in scopes {
                    let lock = AccessLock(
                        kind: kind, baseID: baseID, reason: reason.trimmingCharacters(in: .whitespacesAndNewlines),
                        setBy: AccessLock.currentOperator, since: since)
                    if let previous = try hosting.registry.setAccessLock(lock) { replaced.append(previous) }
                    set.append(lock)
                }
                if output.json {
                    return try printJSON(
                        set.map { $0.shown(in: MaintenanceTime(timeZone: hosting.configuration.timeZone)) })
                }
                let which =
                    selection.all
                    ? "every establishment"
                    : "establishment\(scopes.count == 1 ? "" : "s") \(scopes.compactMap { $0 }.map(String.init).joined(separator: ", "))"
                print("Locked \(which) (\(kind.rawValue)): users now see \"\(set[0].reason)\".")
                for previous in replaced {
                    print(
                        "  replaced the reason \"\(previous.reason)\" set by \(previous.setBy ?? "?") at \(previous.since)"
                    )
                }
                print(
                    "Release with `transfert lock release \(selection.all ? "--all" : "--ids \(scopes.compactMap { $0 }.map(String.init).joined(separator: ","))")\(kind == .administrator ? " --kind administrator" : "")`."
                )
            }
        }
    }

    struct Release: ParsableCommand, AuditedCommand {
        static let configuration = CommandConfiguration(
            commandName: "release",
            abstract: "Release locks: the webmaster's and kept automatic ones by default.",
            discussion: """
                An administrator's lock is the administrator's decision: it is released only with \
                --kind administrator. An automatic lock whose process is still at work is never released \
                (wait for it; a killed holder's lock goes stale by itself and `transfert doctor` clears it). \
                --all releases the lock on every establishment and the chosen kinds on each one.
                """
        ).namingRootOptions()
        @ParentCommand var transfert: Transfert
        @OptionGroup var audit: AuditOptions
        @OptionGroup var selection: SelectionOptions
        @OptionGroup var confirmation: ConfirmationOptions

        @Option(
            name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("Kinds to release: webmaster, administrator, automatic.", valueName: "kind"))
        var kind: [AccessLock.Kind] = [.webmaster, .automatic]

        func validate() throws {
            if selection.ids == nil && !selection.all {
                throw ValidationError("Choose the establishments: --ids 12,13 or --all.")
            }
        }

        func run() throws {
            try reportingErrors(json: output.json) {
                let hosting = try hostingOptions.open()
                let registry = hosting.registry
                let people = kind.filter { $0 != .automatic }
                var released: [AccessLock] = []
                var refused: [String] = []
                var scopes: [Int64?] = selection.ids ?? []
                if let ids = selection.ids {
                    // An id with a lock may be released even if no establishment has it any more.
                    let locked = Set(
                        try registry.accessLocks().compactMap(\.baseID) + (try registry.locks()).map(\.baseID))
                    let unknown = try ids.filter {
                        try hosting.registry.structure(baseID: $0) == nil && !locked.contains($0)
                    }
                    guard unknown.isEmpty else { throw MaintenanceError.unknownEstablishments(unknown) }
                }
                if selection.all {
                    scopes =
                        [nil]
                        + Set(try registry.accessLocks().compactMap(\.baseID) + (try registry.locks()).map(\.baseID))
                        .sorted()
                }
                try Confirmation(
                    consequences: [
                        "This releases the \(kind.map(\.rawValue).joined(separator: ", ")) locks of "
                            + (selection.all
                                ? "every establishment"
                                : "establishment(s) \((selection.ids ?? []).map(String.init).joined(separator: ", "))")
                            + ": users get access back at once."
                    ],
                    refusal: "Not confirmed: no lock was released."
                ).ask(yes: confirmation.yes, command: "lock release")
                let automatic = try registry.locks(at: Date()).live
                for baseID in scopes {
                    released += try registry.removeAccessLocks(kinds: people, baseID: baseID)
                    guard kind.contains(.automatic), let baseID,
                        let lock = automatic.first(where: { $0.baseID == baseID })
                    else { continue }
                    if let pid = lock.ownerPID {
                        refused.append(
                            "the automatic lock of establishment \(baseID) is held by process \(pid) on \(lock.ownerHost ?? "?"), still at work (\(lock.message)): wait for it to finish"
                        )
                        continue
                    }
                    try registry.releaseLock(baseID: baseID)
                    released.append(AccessLock(lock))
                }
                if output.json {
                    try printJSON(
                        released.map { $0.shown(in: MaintenanceTime(timeZone: hosting.configuration.timeZone)) })
                } else if released.isEmpty {
                    print(
                        "No \(kind.map(\.rawValue).joined(separator: " or ")) lock to release\(refused.isEmpty ? "" : " that no process holds")."
                    )
                } else {
                    for lock in released {
                        print(
                            "Released the \(lock.kind.rawValue) lock on \(lock.baseID.map { "establishment \($0)" } ?? "every establishment") (\"\(lock.reason)\")."
                        )
                    }
                }
                guard refused.isEmpty else { throw CommandFailure(refused.joined(separator: "\n")) }
            }
        }
    }
}

extension AccessLock.Kind: ExpressibleByArgument {}
