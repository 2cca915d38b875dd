import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

@Suite("What users meet: lock precedence, windows, stale locks")
struct AccessResolverTests {
    static let time = MaintenanceTime(timeZone: TimeZone(identifier: "Europe/Paris")!)
    static let now = Date(timeIntervalSince1970: 1_796_000_000)
    static let resolver = AccessResolver(
        now: now, time: time, application: "SACoche",
        messages: MaintenanceMessages(language: "fr"), disconnectAfter: 15)
    static let structure = Structure(
        baseID: 7, guid: UUID(), zoneID: 1, uai: try? UAI(validating: "0750001U"), localisation: "Paris",
        denomination: "Collège Émile Zola", contactNom: "Dupré", contactPrenom: "Hélène",
        contactCourriel: try! EmailAddress(validating: "helene@ac-paris.fr"),
        inscriptionDate: try! CalendarDate(parsing: "2024-09-02"))

    static func lock(_ kind: AccessLock.Kind, _ baseID: Int64?, _ reason: String) -> AccessLock {
        AccessLock(kind: kind, baseID: baseID, reason: reason, setBy: "t", since: "2026-11-25T08:00:00Z")
    }

    static let inProgress = MaintenanceWindow(
        number: 4, type: .database, scope: .establishments([7]), start: now.addingTimeInterval(-600),
        end: now.addingTimeInterval(1_200), message: "Transfert vers B", plannedBy: "t")
    static let planned = MaintenanceWindow(
        number: 5, type: .deployment, scope: .all, start: now.addingTimeInterval(86_400),
        end: now.addingTimeInterval(90_000), plannedBy: "t")

    func state(locks: [AccessLock] = [], windows: [MaintenanceWindow] = []) -> AccessState {
        Self.resolver.state(of: Self.structure, locks: locks, windows: windows)
    }

    @Test func openWhenNothingApplies() {
        let open = state(
            locks: [Self.lock(.webmaster, 8, "another one")],
            windows: [
                MaintenanceWindow(
                    type: .database, scope: .establishments([8]), start: Self.now, end: Self.now.addingTimeInterval(60),
                    plannedBy: "t")
            ])
        #expect(open.state == .open && open.message == nil && open.locks.isEmpty && open.retryAfter == nil)
        #expect(open.establishment.name == "Collège Émile Zola" && open.establishment.uai == "0750001U")
    }

    @Test func aPlannedWindowWarnsAndKeepsAccessOpen() {
        let warned = state(windows: [Self.planned])
        #expect(warned.state == .warning && !warned.state.isClosed)
        #expect(warned.message?.hasPrefix("Une nouvelle version sera installée entre le") == true)
        #expect(warned.window?.number == 5 && warned.window?.state == .planned)
        #expect(warned.retryAfter == nil && warned.disconnect == nil)
    }

    @Test func aWindowInProgressClosesWithTheTimeServiceReturns() {
        let closed = state(windows: [Self.inProgress, Self.planned])
        #expect(closed.state == .maintenance && closed.state.isClosed)
        #expect(
            closed.message
                == "Une phase de maintenance de la base de données est actuellement en cours. Le service sera à nouveau disponible le \(Self.time.day(Self.inProgress.end)) à \(Self.time.clock(Self.inProgress.end))."
        )
        #expect(closed.note == "Transfert vers B")
        #expect(closed.retryAfter == 1_200 && closed.until == Self.time.iso(Self.inProgress.end))
        #expect(closed.disconnect?.afterSeconds == 15)
        #expect(closed.disconnect?.message.contains("vous allez être déconnecté dans 15 secondes") == true)
        // Cancelled or finished windows are not there any more.
        var cancelled = Self.inProgress
        cancelled.cancelledAt = Self.now.addingTimeInterval(-1)
        #expect(state(windows: [cancelled]).state == .open)
    }

    /// Every pair of reasons, checked against the documented order.
    @Test func precedenceWebmasterAllThenWebmasterThenWindowThenAdministratorThenAutomatic() {
        let webmasterAll = Self.lock(.webmaster, nil, "tous")
        let webmaster = Self.lock(.webmaster, 7, "webmestre")
        let administrator = Self.lock(.administrator, 7, "administrateur")
        let automatic = AccessLock(
            StructureLock(
                baseID: 7, kind: .backup, message: StructureLock.backupMessage, ownerPID: 1,
                ownerHost: "h", createdAt: "2026-11-25T08:00:00Z"))
        let locks = [automatic, administrator, webmaster, webmasterAll]
        /// The lock as users read it: its time with the hosting's offset, like every time of the state.
        func shown(_ lock: AccessLock) -> AccessLock {
            var shown = lock
            shown.since = Self.time.iso(ISO8601DateFormatter().date(from: lock.since)!)
            return shown
        }
        #expect(shown(webmasterAll).since == "2026-11-25T09:00:00+01:00")
        #expect(state(locks: locks, windows: [Self.inProgress]).lock == shown(webmasterAll))
        #expect(
            state(locks: [automatic, administrator, webmaster], windows: [Self.inProgress]).lock == shown(webmaster))
        let window = state(locks: [automatic, administrator], windows: [Self.inProgress])
        #expect(
            window.state == .maintenance && window.lock == nil,
            "a window in progress comes before the administrator's lock")
        #expect(window.locks == [shown(administrator), shown(automatic)], "every lock is still listed, in order")
        let admin = state(locks: [automatic, administrator], windows: [Self.planned])
        #expect(admin.state == .locked && admin.lock == shown(administrator))
        #expect(admin.message == "L'accès à SACoche est momentanément fermé : administrateur")
        #expect(admin.retryAfter == nil, "a lock has no known end")
        let auto = state(locks: [automatic], windows: [Self.planned])
        #expect(auto.lock?.kind == .automatic && auto.message?.hasSuffix(StructureLock.backupMessage) == true)
        // A lock during a window in progress still names the window.
        #expect(state(locks: [webmaster], windows: [Self.inProgress]).window?.number == 4)
    }

    @Test func staleAutomaticLocksAreIgnoredClearedAndReported() throws {
        let registry = try inMemoryRegistry(establishments: [7])
        let structure = try #require(try registry.structure(baseID: 7))
        // A lock whose holder on another host stopped its heartbeat two minutes ago.
        let old = Date().addingTimeInterval(-120)
        try registry.acquire(
            StructureLock(
                baseID: 7, kind: .backup, message: StructureLock.backupMessage, ownerPID: 4_242,
                ownerHost: "autre-hote", createdAt: ISO8601DateFormatter().string(from: old)))
        let access = HostingAccess(
            registry: registry,
            settings: AccessSettings(
                timeZone: Self.time.timeZone, language: "fr",
                application: "SACoche", disconnectAfter: 15))
        #expect(try access.state(baseID: structure.baseID)?.state == .open, "a stale lock keeps nobody out")
        #expect(
            try registry.storedLocks().count == 1,
            "reading (the portal) clears nothing: lock list and doctor do, and say so")
        let (live, cleared) = try access.locks()
        #expect(live.isEmpty && cleared.map(\.baseID) == [7])
        #expect(try registry.storedLocks().isEmpty)
        // A fresh one does keep users out, and Doctor reports the stale one it clears.
        try registry.acquire(
            StructureLock(
                baseID: 7, kind: .backup, message: StructureLock.backupMessage, ownerPID: 4_242,
                ownerHost: "autre-hote", createdAt: ISO8601DateFormatter().string(from: Date())))
        #expect(try access.state(baseID: 7)?.state == .locked)
        #expect(
            try access.state(baseID: 7, at: Date().addingTimeInterval(StructureLock.staleAfter + 5))?.state == .open)
        #expect(try access.state(baseID: 99) == nil)
    }

    @Test func requireMaintenanceWindowRefusesUncoveredEstablishments() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        for id in [1, 2] as [Int64] {
            try hosting.addStructure(newStructure(uai: nil, id: id, email: "c\(id)@ac-paris.fr"))
        }
        let access = HostingAccess(registry: hosting.registry, settings: hosting.accessSettings)
        try access.requireWindow(covering: [1, 2], command: "export")
        var configuration = hosting.configuration
        configuration.requireMaintenanceWindow = true
        try configuration.renderYAML().write(
            to: directory.path("hosting/transfert.yaml"), atomically: true, encoding: .utf8)
        // Read from transfert.yaml, as export and import open it.
        let strictHosting = try Hosting.open(at: directory.path("hosting"))
        let strict = HostingAccess(registry: strictHosting.registry, settings: strictHosting.accessSettings)
        #expect(throws: MaintenanceError.outsideWindow(command: "export", baseIDs: [1, 2])) {
            try strict.requireWindow(covering: [1, 2], command: "export")
        }
        _ = try MaintenanceSchedule(registry: strictHosting.registry)
            .plan(.init(scope: .establishments([1]), type: .database, start: Date(), end: .duration(600), message: nil))
        #expect(throws: MaintenanceError.outsideWindow(command: "export", baseIDs: [2])) {
            try strict.requireWindow(covering: [1, 2], command: "export")
        }
        try strict.requireWindow(covering: [1], command: "export")
        #expect(
            "\(MaintenanceError.outsideWindow(command: "import", baseIDs: [2]))".contains(
                "require_maintenance_window is on"))
    }
}
