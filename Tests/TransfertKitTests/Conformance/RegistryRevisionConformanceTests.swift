import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// What the portal's snapshot relies on, on every engine: a write made through another connection (another
/// process) raises the revision this one reads, and the windows still open are cut in the engine's SQL
/// without losing one.
@Suite("Registry revision and open windows on every engine")
struct RegistryRevisionConformanceTests {
    @Test(arguments: RegistryUnderTest.all)
    func aWriteThroughAnotherConnectionRaisesTheRevisionThisOneReads(_ under: RegistryUnderTest) throws {
        let made = try under.make()
        defer { made.cleanup() }
        let reader = made.registry
        let writer = try made.reopen()
        let before = try reader.revision()
        _ = try writer.setAccessLock(
            AccessLock(kind: .webmaster, baseID: nil, reason: "Migration", setBy: "t", since: "2026-11-25T08:00:00Z"))
        #expect(try reader.revision() > before)
        let after = try reader.revision()
        _ = try reader.accessLocks()
        #expect(try reader.revision() == after, "reading does not raise it")
    }

    @Test(arguments: RegistryUnderTest.all)
    func openWindowsAreCutInTheEngineWithoutLosingOne(_ under: RegistryUnderTest) throws {
        let made = try under.make()
        defer { made.cleanup() }
        let registry = made.registry
        let now = Date(timeIntervalSince1970: 1_795_942_800)
        func save(start: TimeInterval, minutes: TimeInterval, cancelled: TimeInterval? = nil, scope: MaintenanceScope)
            throws -> Int64?
        {
            try registry.saveMaintenanceWindow(
                MaintenanceWindow(
                    type: .database, scope: scope, start: now.addingTimeInterval(start),
                    end: now.addingTimeInterval(start + minutes * 60), plannedAt: now.addingTimeInterval(-86_400 * 3),
                    plannedBy: "t", cancelledAt: cancelled.map { now.addingTimeInterval($0) })
            ) { _ in }.number
        }
        _ = try save(start: -86_400, minutes: 45, scope: .establishments([1]))  // ended yesterday
        _ = try save(start: -7_200, minutes: 60, scope: .all)  // ended an hour ago
        let endsNow = try save(start: -3_600, minutes: 60.5, scope: .establishments([1, 2]))  // ends in 30 s
        _ = try save(start: 3_600, minutes: 60, cancelled: -60, scope: .establishments([3]))  // cancelled before
        let cancelledLater = try save(start: 3_600, minutes: 60, cancelled: 600, scope: .all)
        let planned = try save(start: 86_400, minutes: 30, scope: .establishments([4]))
        let open = try registry.maintenanceWindows(openAfter: now)
        #expect(open.map(\.number) == [endsNow, cancelledLater, planned])
        #expect(open.first?.scope == .establishments([1, 2]), "with its establishments")
        #expect(try registry.maintenanceWindows(openAfter: now.addingTimeInterval(600)).map(\.number) == [planned])
    }
}
