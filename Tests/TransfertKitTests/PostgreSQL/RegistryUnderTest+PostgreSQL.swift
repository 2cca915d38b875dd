import Foundation
import TransfertTestSupport

@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

extension RegistryUnderTest {
    /// The registry alone on the tests' PostgreSQL cluster, in a database of its own per test. Stands until
    /// ``BackendUnderTest/all`` has a PostgreSQL backend (its establishment store), whose registry then
    /// joins ``all`` through ``of(_:)`` and replaces this one.
    static let postgresRegistry = RegistryUnderTest(name: "PostgreSQL registry") {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        let registry = try SQLRegistry.postgreSQL(settings: settings, create: true)
        _ = try registry.addZone(named: Zone.defaultZoneName)
        return Instance(
            registry: registry, reopen: { try SQLRegistry.postgreSQL(settings: settings, create: false) },
            cleanup: cleanup)
    }
}
