import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertPortal
@testable import TransfertStorage

/// The portal over ``HostingStateSource`` on a registry in memory, no hosting: what the command line
/// writes to the registry shows within a second.
@Suite("Portal on an in-memory registry")
struct PortalRegistrySourceTests {
    static let settings = AccessSettings(
        timeZone: TimeZone(identifier: "Europe/Paris")!, language: "en", application: "SACoche",
        disconnectAfter: 15)

    @Test func aLockSetInTheRegistryShowsWithinASecond() async throws {
        let registry = try inMemoryRegistry(establishments: [7, 8])
        let source = HostingStateSource(registry: registry, settings: Self.settings, refreshEvery: .milliseconds(50))
        #expect(try source.establishmentCount() == 2)
        let portal = Portal(
            source: source, language: "en", application: "SACoche", logger: Logger(label: "test.portal"))
        try await portal.application(host: "127.0.0.1", port: 0) { _ in }.test(.router) { client in
            try await client.execute(uri: "/status?id=7", method: .get) { response in
                #expect(response.status == .ok)
                let state = try JSONDecoder().decode(AccessState.self, from: Data(buffer: response.body))
                #expect(state.state == .open)
            }
            _ = try registry.setAccessLock(
                AccessLock(
                    kind: .webmaster, baseID: 7, reason: "Transfert en cours", setBy: "t",
                    since: ISO8601DateFormatter().string(from: Date().addingTimeInterval(-60))))
            // Shown once the source reads the new revision (every 50 ms here): poll for up to a second.
            var state: AccessState?
            for _ in 0..<100 where state?.state != .locked {
                if state != nil { try await Task.sleep(for: .milliseconds(10)) }
                state = try await client.execute(uri: "/status?id=7", method: .get) { response in
                    try JSONDecoder().decode(AccessState.self, from: Data(buffer: response.body))
                }
            }
            #expect(state?.state == .locked && state?.lock?.reason == "Transfert en cours")
            try await client.execute(uri: "/?id=7", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
            try await client.execute(uri: "/?id=8", method: .get) { response in #expect(response.status == .ok) }
            try await client.execute(uri: "/status?id=9", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/health", method: .get) { response in
                let object = try #require(
                    try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(object["establishments"] as? Int == 2)
            }
        }
    }

    /// A registry that cannot be read: the last snapshot keeps answering, the failure is logged once however
    /// many times the timer retries, and when the registry answers again a change made meanwhile shows.
    @Test func anUnreadableRegistryKeepsTheLastSnapshotAndIsLoggedOnce() async throws {
        let registry = try inMemoryRegistry(establishments: [7])
        let (logger, log) = RecordingLogHandler.logger(label: "test.portal")
        let source = HostingStateSource(
            registry: registry, settings: Self.settings, refreshEvery: .milliseconds(20), logger: logger)
        #expect(try source.state(baseID: 7, at: Date())?.state == .open)

        // The revision's table gone: every reading of the registry the timer tries fails.
        _ = try registry.executor.transaction {
            try $0.execute("ALTER TABLE registry_revision RENAME TO revision_away")
        }
        #expect(throws: (any Error).self) { try registry.revision() }
        for _ in 0..<200 where log.entries.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(200))  // about ten more failed readings
        let errors = log.entries.filter { $0.level == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("answers from what it read last") == true)
        #expect(try source.state(baseID: 7, at: Date())?.state == .open)
        #expect(try source.state(baseID: 8, at: Date()) == nil)

        // Back: a lock set while the registry could not be read shows, and the recovery is said once.
        _ = try registry.executor.transaction {
            try $0.execute("ALTER TABLE revision_away RENAME TO registry_revision")
        }
        _ = try registry.setAccessLock(
            AccessLock(
                kind: .webmaster, baseID: 7, reason: "Transfert en cours", setBy: "t",
                since: ISO8601DateFormatter().string(from: Date().addingTimeInterval(-60))))
        var state = try source.state(baseID: 7, at: Date())
        for _ in 0..<100 where state?.state != .locked {
            try await Task.sleep(for: .milliseconds(10))
            state = try source.state(baseID: 7, at: Date())
        }
        #expect(state?.state == .locked)
        #expect(log.entries.filter { $0.level == .warning && $0.message.contains("can be read again") }.count == 1)
        #expect(log.entries.filter { $0.level == .error }.count == 1)
    }
}
