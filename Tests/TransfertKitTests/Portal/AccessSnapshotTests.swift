import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// ``AccessSnapshot`` (what the portal answers from) against ``HostingAccess`` (the registry read at every
/// question): on generated registries — windows past, in progress, planned, cancelled before and after
/// the load, on every establishment or some; locks of every kind, live and stale; moves of registered and
/// removed establishments; an import under way — every establishment's state is the same at every time
/// asked from the load on, `Retry-After` included.
@Suite("Access snapshot: the same state as the registry, at every time from its load")
struct AccessSnapshotTests {
    static let settings = AccessSettings(
        timeZone: TimeZone(identifier: "Europe/Paris")!, language: "fr", application: "SACoche", disconnectAfter: 15)
    /// 2026-11-25 09:00 UTC: the load.
    static let load = Date(timeIntervalSince1970: 1_795_942_800)

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }

    /// A registry of establishments 1…12 with `seed`'s windows, locks and moves around ``load``.
    static func generated(seed: UInt64) throws -> SQLRegistry {
        var random = SeededGenerator(seed: seed)
        let registry = try inMemoryRegistry(establishments: Array(1...12))
        func minutes(_ range: ClosedRange<Int>) -> Date {
            load.addingTimeInterval(TimeInterval(Int.random(in: range, using: &random) * 60))
        }
        for _ in 0..<Int.random(in: 0...14, using: &random) {
            let start = minutes(-3_000...3_000)
            let end = start.addingTimeInterval(TimeInterval(Int.random(in: 1...600, using: &random) * 60))
            let ids = (1...14).filter { _ in Int.random(in: 0..<5, using: &random) == 0 }.map(Int64.init)
            let scope: MaintenanceScope =
                Int.random(in: 0..<6, using: &random) == 0 || ids.isEmpty ? .all : .establishments(ids)
            let cancelled: Date? = Int.random(in: 0..<4, using: &random) == 0 ? minutes(-3_000...3_000) : nil
            _ = try registry.saveMaintenanceWindow(
                MaintenanceWindow(
                    type: Bool.random(using: &random) ? .database : .deployment, scope: scope, start: start, end: end,
                    message: Bool.random(using: &random) ? "Mise à jour" : nil,
                    plannedAt: minutes(-6_000...600), plannedBy: "t", cancelledAt: cancelled)
            ) { _ in }
        }
        for id in [nil] + (1...13).map(Int64?.some) where Int.random(in: 0..<4, using: &random) == 0 {
            let kind: AccessLock.Kind = Bool.random(using: &random) ? .webmaster : .administrator
            _ = try registry.setAccessLock(
                AccessLock(
                    kind: kind, baseID: id, reason: "raison \(id ?? 0)", setBy: "t", since: iso(minutes(-600...600))))
        }
        for id in Int64(1)...12 where Int.random(in: 0..<4, using: &random) == 0 {
            // Live or stale by its heartbeat, or kept (never stale), on another host (no process to ask).
            let kept = Bool.random(using: &random)
            try registry.acquire(
                StructureLock(
                    baseID: id, kind: kept ? .moved : .backup, message: "verrou \(id)",
                    ownerPID: kept ? nil : 4_000_000,
                    ownerHost: kept ? nil : "elsewhere", createdAt: iso(minutes(-300...0)),
                    refreshedAt: iso(minutes(-3...5))))
        }
        var moves: [ConfirmedMove] = []
        for id in Int64(1)...14 where Int.random(in: 0..<5, using: &random) == 0 {
            let guid =
                try registry.structure(baseID: id)?.guid.uuidString.lowercased() ?? UUID().uuidString.lowercased()
            moves.append(
                ConfirmedMove(
                    baseID: id, guid: guid, denomination: "Collège \(id)", localisation: "Paris", uai: nil,
                    targetServer: "serveur-b", targetFingerprint: "f", newID: id + 100,
                    accessURL: "https://b.example.org/sacoche/?id=\(id + 100)", bundle: "bundle", receiptSHA256: "00",
                    confirmedAt: iso(minutes(-600...600))))
        }
        try registry.confirmMoves(moves, journal: [])
        if Bool.random(using: &random) {
            _ = try registry.claimForImport([registeredStructure(id: 15)], reserved: []) { _ in true }
        }
        return registry
    }

    @Test(arguments: 1...40)
    func theSnapshotAnswersAsTheRegistry(seed: UInt64) throws {
        let registry = try Self.generated(seed: seed)
        let access = HostingAccess(registry: registry, settings: Self.settings)
        let snapshot = try AccessSnapshot.load(from: registry, settings: Self.settings, at: Self.load)
        #expect(snapshot.establishmentCount == (try registry.structures().count))
        for offset in [0, 1, 59, 60, 61, 299.5, 1_800, 3_600, 7_200, 36_000, 180_000, 400_000] as [TimeInterval] {
            let now = Self.load.addingTimeInterval(offset)
            for id in Int64(1)...16 {
                let expected = try access.state(baseID: id, at: now)
                #expect(snapshot.state(baseID: id, at: now) == expected, "seed \(seed), +\(offset) s, id \(id)")
            }
        }
    }

    @Test func itKeepsNoEndedOrCancelledWindow() throws {
        // Years of history cost nothing: only what can still be met is read.
        let registry = try inMemoryRegistry(establishments: [1])
        for day in 1...300 {
            let start = Self.load.addingTimeInterval(-Double(day) * 86_400)
            _ = try registry.saveMaintenanceWindow(
                MaintenanceWindow(
                    type: .database, scope: .establishments([1]), start: start, end: start.addingTimeInterval(3_600),
                    plannedAt: start.addingTimeInterval(-86_400), plannedBy: "t",
                    cancelledAt: day % 2 == 0 ? start.addingTimeInterval(-60) : nil)
            ) { _ in }
        }
        let cancelledLater = Self.load.addingTimeInterval(600)
        let upcoming = try registry.saveMaintenanceWindow(
            MaintenanceWindow(
                type: .database, scope: .all, start: Self.load.addingTimeInterval(3_600),
                end: Self.load.addingTimeInterval(7_200), plannedAt: Self.load.addingTimeInterval(-60), plannedBy: "t",
                cancelledAt: cancelledLater)
        ) { _ in }
        #expect(try registry.maintenanceWindows(openAfter: Self.load).map(\.number) == [upcoming.number])
        #expect(try registry.maintenanceWindows(openAfter: cancelledLater).isEmpty)
        let snapshot = try AccessSnapshot.load(from: registry, settings: Self.settings, at: Self.load)
        #expect(snapshot.state(baseID: 1, at: Self.load)?.state == .warning)
        #expect(snapshot.state(baseID: 1, at: cancelledLater)?.state == .open)
    }

    @Test func retryAfterCountsDownWithoutAReload() throws {
        let registry = try inMemoryRegistry(establishments: [1])
        _ = try registry.saveMaintenanceWindow(
            MaintenanceWindow(
                type: .database, scope: .establishments([1]), start: Self.load.addingTimeInterval(60),
                end: Self.load.addingTimeInterval(660), plannedAt: Self.load.addingTimeInterval(-60), plannedBy: "t")
        ) { _ in }
        let snapshot = try AccessSnapshot.load(from: registry, settings: Self.settings, at: Self.load)
        #expect(snapshot.state(baseID: 1, at: Self.load)?.state == .warning)
        #expect(snapshot.state(baseID: 1, at: Self.load.addingTimeInterval(60))?.retryAfter == 600)
        #expect(snapshot.state(baseID: 1, at: Self.load.addingTimeInterval(359.5))?.retryAfter == 301)
        #expect(snapshot.state(baseID: 1, at: Self.load.addingTimeInterval(660))?.state == .open)
    }
}
