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
}
