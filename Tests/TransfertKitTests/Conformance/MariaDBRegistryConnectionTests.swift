import Foundation
import Testing
import TransfertTestSupport

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The MariaDB driver of the registry (``MariaDBExecutor``) keeps working when the server drops its
/// connection (a restart, `wait_timeout`): the connection is opened again and the work done once.
@Suite("MariaDB registry connection")
struct MariaDBRegistryConnectionTests {
    /// Kills, from another session, every connection to `database`, as a server restart would.
    static func dropConnections(to database: String, port: Int) throws {
        let admin = try MariaDBConnection(MariaDBSettings(port: port, user: "root"))
        let ids = try admin.query("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = \(admin.literal(database))")
            .compactMap { $0[0] }
        #expect(!ids.isEmpty, "the registry holds a connection")
        for id in ids { try admin.execute("KILL CONNECTION \(id)") }
    }

    @Test func aDroppedConnectionIsOpenedAgainForReadsAndTransactions() throws {
        let (settings, _, cleanup) = try RegistryUpgradeTests.mariaDBDatabase()
        defer { cleanup() }
        let database = try #require(settings.database)
        let registry = try SQLRegistry.mariaDB(settings: settings, create: true)
        _ = try registry.addZone(named: "Zone par défaut")
        try Self.dropConnections(to: database, port: settings.port)
        #expect(try registry.zones().map(\.name) == ["Zone par défaut"], "a read after the drop")
        try Self.dropConnections(to: database, port: settings.port)
        let structure = try registry.insertWithNewID(try BackendConformanceTests.structure(1), isFree: { _ in true })
        #expect(structure.baseID == 1, "a writer's transaction after the drop, done once")
        #expect(try registry.structures().map(\.baseID) == [1])
    }
}
