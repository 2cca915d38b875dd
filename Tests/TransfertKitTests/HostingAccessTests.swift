import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// ``HostingAccess`` on a registry in memory: what it reads from each part of the registry (locks people
/// set, automatic locks, windows, moves) and how the settings it is given reach what users read — no
/// hosting directory.
@Suite("Hosting access on an in-memory registry: windows against locks, moves, times asked")
struct HostingAccessTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let time = MaintenanceTime(timeZone: paris)
    /// 2026-11-25 09:00 in Paris.
    static let morning = try! time.parse("2026-11-25 09:00", option: "--start", now: Date(timeIntervalSince1970: 0))
    static let settings = AccessSettings(timeZone: paris, language: "fr", application: "SACoche", disconnectAfter: 15)

    let registry: SQLRegistry
    let access: HostingAccess

    init() throws {
        registry = try inMemoryRegistry(establishments: [7, 8])
        access = HostingAccess(registry: registry, settings: Self.settings)
    }

    /// A window for `ids` planned at `plannedAt`, from `start` for `minutes`.
    @discardableResult
    func plan(_ ids: [Int64], plannedAt: Date, start: Date, minutes: Double) throws -> MaintenanceWindow {
        let schedule = MaintenanceSchedule(registry: registry, time: Self.time, now: { plannedAt })
        return try schedule.plan(
            .init(
                scope: .establishments(ids), type: .database, start: start, end: .duration(minutes * 60),
                message: nil)
        ).window
    }

    func lock(_ kind: AccessLock.Kind, _ baseID: Int64?, since: Date) throws {
        _ = try registry.setAccessLock(
            AccessLock(
                kind: kind, baseID: baseID, reason: "\(kind.rawValue) lock", setBy: "t",
                since: ISO8601DateFormatter().string(from: since)))
    }

    @Test func aWindowInProgressOutranksTheAdministratorButNotTheWebmaster() throws {
        let window = try plan([7], plannedAt: Self.morning, start: Self.morning.addingTimeInterval(600), minutes: 30)
        try lock(.administrator, 7, since: Self.morning)
        let before = Self.morning.addingTimeInterval(60)
        let during = Self.morning.addingTimeInterval(900)
        #expect(
            try access.state(baseID: 7, at: before)?.state == .locked,
            "before the window, the administrator's lock keeps users out")
        let maintenance = try #require(try access.state(baseID: 7, at: during))
        #expect(maintenance.state == .maintenance, "during it, the window comes before the administrator's lock")
        #expect(maintenance.window?.number == window.number)
        #expect(maintenance.locks.map(\.kind) == [.administrator], "the lock is still listed, behind the window")
        try lock(.webmaster, 7, since: Self.morning)
        let locked = try #require(try access.state(baseID: 7, at: during))
        #expect(
            locked.state == .locked && locked.lock?.kind == .webmaster, "the webmaster's lock comes before a window")
        #expect(locked.window?.number == window.number, "the window in progress is still named")
        #expect(
            try access.state(baseID: 8, at: during)?.state == .open,
            "neither the window nor the locks cover establishment 8")
        _ = try registry.removeAccessLocks(kinds: [.webmaster, .administrator], baseID: 7)
        #expect(try access.state(baseID: 7, at: during)?.state == .maintenance)
        #expect(
            try access.state(baseID: 7, at: Self.morning.addingTimeInterval(2_400))?.state == .open,
            "service is back at its end")
    }

    @Test func aLockOnEveryEstablishmentComesFirstAndAnAutomaticLockLast() throws {
        try registry.acquire(
            StructureLock(
                baseID: 8, kind: .backup, message: StructureLock.backupMessage, ownerPID: 4_242,
                ownerHost: "autre-hote", createdAt: ISO8601DateFormatter().string(from: Self.morning)))
        try lock(.administrator, 8, since: Self.morning)
        let now = Self.morning.addingTimeInterval(30)
        #expect(try access.state(baseID: 8, at: now)?.locks.map(\.kind) == [.administrator, .automatic])
        try lock(.webmaster, nil, since: Self.morning)
        let state = try #require(try access.state(baseID: 8, at: now))
        #expect(state.lock?.kind == .webmaster && state.lock?.baseID == nil)
        #expect(state.locks.map(\.kind) == [.webmaster, .administrator, .automatic])
        #expect(try access.state(baseID: 7, at: now)?.lock?.kind == .webmaster, "every establishment")
    }

    @Test func aTimeAskedLeavesOutWhatDidNotExistYet() throws {
        let later = Self.morning.addingTimeInterval(3_600)
        try plan([7], plannedAt: later, start: later, minutes: 30)
        try lock(.administrator, 8, since: later)
        let before = Self.morning.addingTimeInterval(1_800)
        #expect(
            try access.state(baseID: 7, at: before)?.state == .open,
            "a window planned later did not exist yet: no warning")
        #expect(try access.state(baseID: 8, at: before)?.state == .open, "a lock set later did not keep anyone out yet")
        #expect(try access.state(baseID: 7, at: later.addingTimeInterval(60))?.state == .maintenance)
        #expect(try access.state(baseID: 8, at: later.addingTimeInterval(60))?.state == .locked)
    }

    @Test func aMovedEstablishmentRedirectsFromItsConfirmationOnAndForGoodOnceRemoved() throws {
        let confirmedAt = Self.morning.addingTimeInterval(3_600)
        let structure = try #require(try registry.structure(baseID: 7))
        let move = ConfirmedMove(
            baseID: 7, guid: structure.guid.uuidString.lowercased(), denomination: structure.denomination,
            localisation: structure.localisation, uai: nil, targetServer: "serveur-b", targetFingerprint: "fb",
            newID: 12, accessURL: "https://b.example.org/?id=12", bundle: "bases_dump_x",
            receiptSHA256: String(repeating: "0", count: 64),
            confirmedAt: ISO8601DateFormatter().string(from: confirmedAt))
        try registry.confirmMoves([move], journal: [])
        #expect(
            try access.state(baseID: 7, at: Self.morning)?.state != .moved, "still here before its move was confirmed")
        let moved = try #require(try access.state(baseID: 7, at: confirmedAt.addingTimeInterval(1)))
        #expect(moved.state == .moved && moved.movedTo == "https://b.example.org/?id=12")
        try registry.removeStructure(baseID: 7, journal: nil)
        #expect(
            try access.state(baseID: 7, at: Self.morning)?.state == .moved, "once removed, only its new address is left"
        )
        #expect(try access.state(baseID: 99, at: Self.morning) == nil, "no such establishment")
    }

    @Test func theSettingsGivenAreWhatUsersRead() throws {
        let window = try plan([7], plannedAt: Self.morning, start: Self.morning, minutes: 30)
        let settings = AccessSettings(
            timeZone: TimeZone(identifier: "America/Cayenne")!, language: "en", application: "Pronote",
            disconnectAfter: 42)
        let during = Self.morning.addingTimeInterval(60)
        let state = try #require(try HostingAccess(registry: registry, settings: settings).state(baseID: 7, at: during))
        let structure = try #require(try registry.structure(baseID: 7))
        let expected = AccessResolver(
            now: during, time: MaintenanceTime(timeZone: settings.timeZone), application: "Pronote",
            messages: MaintenanceMessages(language: "en"), disconnectAfter: 42
        )
        .state(of: structure, locks: [], windows: [window])
        #expect(state == expected)
        #expect(state.disconnect?.afterSeconds == 42)
        #expect(state.until?.hasSuffix("-03:00") == true, "times in the settings' zone")
        #expect(state != (try access.state(baseID: 7, at: during)), "other settings, other sentences")
    }

    @Test func requireMaintenanceWindowRefusesWhatNoWindowInProgressCovers() throws {
        let now = Self.morning
        try access.requireWindow(covering: [7, 8], command: "export", now: now)
        var strictSettings = Self.settings
        strictSettings.requireMaintenanceWindow = true
        let strict = HostingAccess(registry: registry, settings: strictSettings)
        #expect(throws: MaintenanceError.outsideWindow(command: "export", baseIDs: [7, 8])) {
            try strict.requireWindow(covering: [7, 8], command: "export", now: now)
        }
        try plan([7], plannedAt: now, start: now.addingTimeInterval(600), minutes: 30)
        #expect(
            throws: MaintenanceError.outsideWindow(command: "import", baseIDs: [7, 8]),
            "a window planned is not one in progress"
        ) {
            try strict.requireWindow(covering: [7, 8], command: "import", now: now)
        }
        #expect(throws: MaintenanceError.outsideWindow(command: "import", baseIDs: [8])) {
            try strict.requireWindow(covering: [7, 8], command: "import", now: now.addingTimeInterval(900))
        }
        try strict.requireWindow(covering: [7], command: "import", now: now.addingTimeInterval(900))
        try strict.requireWindow(covering: [], command: "import", now: now)
    }

    @Test func settingsFollowTheConfigurationAndItsDefaults() {
        var configuration = HostingConfiguration(
            serverName: "a", baseURL: "https://a.example.org/",
            webmaster: .init(name: "W", email: "w@ac-paris.fr"))
        // An older transfert.yaml may lack the keys: the documented defaults apply.
        configuration.timeZoneName = nil
        configuration.language = nil
        configuration.disconnectAfter = nil
        configuration.requireMaintenanceWindow = nil
        let defaults = AccessSettings(configuration: configuration, application: "SACoche")
        #expect(
            defaults
                == AccessSettings(
                    timeZone: Self.paris, language: "fr", application: "SACoche", disconnectAfter: 15,
                    requireMaintenanceWindow: false))
        configuration.timeZoneName = "UTC"
        configuration.language = "en"
        configuration.disconnectAfter = 90
        configuration.requireMaintenanceWindow = true
        #expect(
            AccessSettings(configuration: configuration, application: "X")
                == AccessSettings(
                    timeZone: TimeZone(identifier: "UTC")!, language: "en", application: "X", disconnectAfter: 90,
                    requireMaintenanceWindow: true))
    }
}
