import Foundation
import Testing
import TransfertTestSupport

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The PostgreSQL driver of the registry (``PostgreSQLExecutor``) keeps working when the server drops its
/// connection or restarts: the connection is opened again and the work done once.
@Suite("PostgreSQL registry connection")
struct PostgreSQLRegistryConnectionTests {
    /// Ends, from another session, every connection to `database`, as an administrator or a restart would.
    static func dropConnections(to database: String) throws {
        let admin = try PostgreSQLConnection(try PostgreSQLTestDatabase.admin())
        defer { admin.close() }
        let ended = try admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            [.text(database)])
        #expect(!ended.isEmpty, "the registry holds a connection")
    }

    @Test func aDroppedConnectionIsOpenedAgainForReadsAndTransactions() throws {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let registry = try SQLRegistry.postgreSQL(settings: settings, create: true)
        _ = try registry.addZone(named: "Zone par défaut")
        try Self.dropConnections(to: settings.database!)
        #expect(try registry.zones().map(\.name) == ["Zone par défaut"], "a read after the drop")
        try Self.dropConnections(to: settings.database!)
        let structure = try registry.insertWithNewID(try BackendConformanceTests.structure(1), isFree: { _ in true })
        #expect(structure.baseID == 1, "a writer's transaction after the drop, done once")
        #expect(try registry.structures().map(\.baseID) == [1])
    }

    /// The server crashes and restarts under an open registry (a dedicated cluster: the shared one serves
    /// other tests): the next read and write reconnect; nothing committed is lost.
    @Test func aServerRestartedMidUseIsReconnectedTo() throws {
        let server = try PostgreSQLTestServer.dedicated()
        defer { server.endAsTheTestProcessDoes() }
        let (settings, _, _) = try PostgreSQLTestDatabase.fresh(on: server)
        let registry = try SQLRegistry.postgreSQL(settings: settings, create: true)
        _ = try registry.addZone(named: "Avant")
        try server.crashAndRestart()
        #expect(try registry.zones().map(\.name) == ["Avant"], "committed before the crash, read after it")
        try server.crashAndRestart()
        _ = try registry.addZone(named: "Après")
        #expect(try registry.zones().map(\.name) == ["Avant", "Après"])
    }

    /// A server that is gone stays a readable error, the same on every call, until it is back.
    @Test func aStoppedServerIsReportedThenReconnectedWhenBack() throws {
        let server = try PostgreSQLTestServer.dedicated()
        defer { server.endAsTheTestProcessDoes() }
        let (settings, _, _) = try PostgreSQLTestDatabase.fresh(on: server)
        let registry = try SQLRegistry.postgreSQL(settings: settings, create: true)
        _ = try registry.addZone(named: "Zone")
        server.stop()
        let error = try #require(throws: PostgreSQLError.self) { try registry.zones() }
        #expect(error.isConnectionLost, "\(error)")
        #expect(error.description.contains("127.0.0.1:\(server.port)"), "\(error)")
        #expect(!error.description.contains(server.password))
        try server.startAgain()
        #expect(try registry.zones().map(\.name) == ["Zone"])
    }
}
