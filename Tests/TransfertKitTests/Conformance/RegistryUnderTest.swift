import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// A registry the conformance suite's registry tests run against: the registry of each backend of
/// ``BackendUnderTest/all``, and the in-memory driver (SQLite `:memory:`) that unit tests may use instead
/// of a hosting on disk. The same ``SQLRegistry`` runs on each; these tests prove it behaves the same.
struct RegistryUnderTest: CustomTestStringConvertible, Sendable {
    /// A fresh registry with the default zone.
    struct Instance: Sendable {
        let registry: any Registry
        /// Another connection to the same registry, as another process would have (the in-memory registry
        /// has one connection, shared).
        let reopen: @Sendable () throws -> any Registry
        let cleanup: @Sendable () -> Void
    }

    let name: String
    let make: @Sendable () throws -> Instance

    var testDescription: String { name }

    /// The registry of a fresh `backend`, reopened through a second backend on the same storage.
    static func of(_ backend: BackendUnderTest) -> RegistryUnderTest {
        RegistryUnderTest(name: backend.name) {
            let (made, cleanup) = try backend.make()
            return Instance(registry: made.registry, reopen: { try backend.reopen(made).registry }, cleanup: cleanup)
        }
    }

    static let inMemory = RegistryUnderTest(name: "in memory") {
        let registry = try SQLRegistry.inMemory()
        _ = try registry.addZone(named: Zone.defaultZoneName)
        return Instance(registry: registry, reopen: { registry }, cleanup: {})
    }

    static let all: [RegistryUnderTest] = BackendUnderTest.all.map(of) + [.inMemory]
}
