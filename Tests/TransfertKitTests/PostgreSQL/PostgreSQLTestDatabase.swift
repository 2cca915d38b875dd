import Foundation
import TransfertTestSupport

@testable import TransfertFormats
@testable import TransfertStorage

/// Databases of their own on the tests' shared PostgreSQL cluster: each test creates one under a fresh name
/// and drops it when done, so tests running at once never meet.
enum PostgreSQLTestDatabase {
    /// The cluster's superuser, over TCP with its password, in the maintenance database.
    static func admin(on server: PostgreSQLTestServer? = nil) throws -> PostgreSQLSettings {
        let server = try server ?? PostgreSQLTestServer.shared()
        return PostgreSQLSettings(
            port: server.port, user: server.user, password: server.password, database: "postgres")
    }

    /// A new empty database (UTF-8, "C" locale, as Transfert creates them); `cleanup` drops it, and every
    /// database and role whose name starts with its tag.
    static func fresh(on server: PostgreSQLTestServer? = nil) throws -> (
        settings: PostgreSQLSettings, tag: String, cleanup: @Sendable () -> Void
    ) {
        let admin = try admin(on: server)
        let tag = "t\(UUID().uuidString.prefix(8).lowercased())_"
        let connection = try PostgreSQLConnection(admin)
        defer { connection.close() }
        try connection.execute("CREATE DATABASE \(tag)db \(PostgreSQLProvisioning.databaseOptions)")
        return (
            admin.with(database: "\(tag)db"), tag,
            {
                guard let connection = try? PostgreSQLConnection(admin) else { return }
                defer { connection.close() }
                let pattern = [SQLValue.text("\(tag)%")]
                for row in (try? connection.query("SELECT datname FROM pg_database WHERE datname LIKE $1", pattern))
                    ?? []
                {
                    if case .text(let name) = row[0] {
                        _ = try? connection.execute(
                            "DROP DATABASE IF EXISTS \(PostgreSQLQuoting.identifier(name)) WITH (FORCE)")
                    }
                }
                for row in (try? connection.query("SELECT rolname FROM pg_roles WHERE rolname LIKE $1", pattern)) ?? []
                {
                    if case .text(let name) = row[0] {
                        _ = try? connection.execute("DROP ROLE IF EXISTS \(PostgreSQLQuoting.identifier(name))")
                    }
                }
            }
        )
    }
}
