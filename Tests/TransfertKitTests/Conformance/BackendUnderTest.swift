import Foundation
import Testing
import TransfertTestSupport

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// A backend the conformance suite runs against: how to make a fresh, empty one. Every backend of
/// `Sources/TransfertKit/Backends/` is listed in ``all``; the suite runs unchanged against each.
struct BackendUnderTest: CustomTestStringConvertible, Sendable {
    let name: String
    /// A fresh, initialised backend with the default zone, and what removes it.
    let make: @Sendable () throws -> (backend: any HostingBackend, cleanup: @Sendable () -> Void)
    /// A second connection to the same registry, as another process would have.
    let reopen: @Sendable (any HostingBackend) throws -> any HostingBackend

    var testDescription: String { name }

    static let sqlite = BackendUnderTest(
        name: "SQLite",
        make: {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "transfert-conformance-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let backend = try SQLiteBackend(directory: directory, create: true)
            _ = try backend.registry.addZone(named: Zone.defaultZoneName)
            return (backend, { try? FileManager.default.removeItem(at: directory) })
        },
        reopen: { backend in
            guard let store = backend.establishments as? SQLiteEstablishmentStore else {
                throw CocoaError(.featureUnsupported)
            }
            return try SQLiteBackend(directory: store.directory.deletingLastPathComponent(), create: false)
        })

    /// On the tests' own MariaDB server: a registry database and a prefix of its own per test.
    static let mariadb = BackendUnderTest(
        name: "MariaDB",
        make: {
            let server = try MariaDBTestServer.shared()
            let tag = "c\(UUID().uuidString.prefix(8).lowercased())_"
            let admin = MariaDBSettings(port: server.port, user: "root")
            let root = try MariaDBConnection(admin)
            try root.execute("CREATE DATABASE `\(tag)registry`")
            let credentials = FileManager.default.temporaryDirectory.appendingPathComponent(
                "transfert-conformance-\(tag)")
            let backend = try MariaDBBackend(
                settings: admin.with(database: "\(tag)registry"), prefix: tag,
                credentialsDirectory: credentials, create: true)
            _ = try backend.registry.addZone(named: Zone.defaultZoneName)
            return (
                backend,
                {
                    guard let root = try? MariaDBConnection(admin) else { return }
                    for row
                        in (try? root.query(
                            "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '\(tag)%'"))
                        ?? []
                    {
                        if let name = row[0] { try? root.execute("DROP DATABASE `\(name)`") }
                    }
                    for row in (try? root.query("SELECT User FROM mysql.user WHERE User LIKE '\(tag)%'")) ?? [] {
                        if let name = row[0] { try? root.execute("DROP USER '\(name)'@'%'") }
                    }
                    try? FileManager.default.removeItem(at: credentials)
                }
            )
        },
        reopen: { backend in
            guard let mariadb = backend as? MariaDBBackend else { throw CocoaError(.featureUnsupported) }
            return try MariaDBBackend(
                settings: mariadb.registrySettings, prefix: mariadb.prefix, credentialsDirectory: nil, create: false)
        })

    /// On the tests' own PostgreSQL cluster: a registry database and a prefix of its own per test.
    static let postgres = BackendUnderTest(
        name: "PostgreSQL",
        make: {
            let (settings, tag, dropAll) = try PostgreSQLTestDatabase.fresh()
            let credentials = FileManager.default.temporaryDirectory.appendingPathComponent(
                "transfert-conformance-\(tag)")
            let backend = try PostgreSQLBackend(
                settings: settings, prefix: tag, credentialsDirectory: credentials, create: true)
            _ = try backend.registry.addZone(named: Zone.defaultZoneName)
            return (
                backend,
                {
                    dropAll()
                    try? FileManager.default.removeItem(at: credentials)
                }
            )
        },
        reopen: { backend in
            guard let postgres = backend as? PostgreSQLBackend else { throw CocoaError(.featureUnsupported) }
            return try PostgreSQLBackend(
                settings: postgres.registrySettings, prefix: postgres.prefix, credentialsDirectory: nil, create: false)
        })

    static let all: [BackendUnderTest] = [.sqlite, .mariadb, .postgres]
}
