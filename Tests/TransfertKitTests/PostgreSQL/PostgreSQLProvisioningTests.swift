import Foundation
import Testing
import TransfertTestSupport

@testable import TransfertFormats
@testable import TransfertModel
@testable import TransfertStorage

/// What `init --backend postgres` checks of the operator's role before anything is written: the
/// privileges every later command needs, named with the statement that grants them.
@Suite("PostgreSQL provisioning")
struct PostgreSQLProvisioningTests {
    /// A login role of the test's own, with `attributes`, and the settings to connect as it.
    static func role(_ attributes: String, tag: String) throws -> PostgreSQLSettings {
        let admin = try PostgreSQLTestDatabase.admin()
        let connection = try PostgreSQLConnection(admin)
        defer { connection.close() }
        let name = "\(tag)operator"
        let password = UUID().uuidString
        try connection.execute(
            "CREATE ROLE \(name) LOGIN \(attributes) PASSWORD \(PostgreSQLQuoting.literal(password))")
        return admin.with(user: name, password: password, database: "\(tag)registry")
    }

    static func databases(like tag: String) throws -> [String] {
        let connection = try PostgreSQLConnection(try PostgreSQLTestDatabase.admin())
        defer { connection.close() }
        return try connection.query(
            "SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY 1", [.text("\(tag)%")]
        ).compactMap { $0[0].textValue }
    }

    static func roles(like tag: String) throws -> [String] {
        let connection = try PostgreSQLConnection(try PostgreSQLTestDatabase.admin())
        defer { connection.close() }
        return try connection.query(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE $1 ORDER BY 1", [.text("\(tag)%")]
        ).compactMap { $0[0].textValue }
    }

    @Test(arguments: ["NOCREATEDB NOCREATEROLE", "CREATEDB NOCREATEROLE", "NOCREATEDB CREATEROLE"])
    func aRoleWithoutItsPrivilegesIsRefusedWithTheStatementThatGrantsThem(_ attributes: String) throws {
        let (_, tag, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let settings = try Self.role(attributes, tag: tag)
        let error = try #require(throws: PostgreSQLProvisioningError.self) {
            try PostgreSQLProvisioning(settings: settings, prefix: tag).prepare()
        }
        for missing in ["CREATEDB", "CREATEROLE"] where attributes.contains("NO\(missing)") {
            #expect(error.problem.contains(missing), "names \(missing): \(error)")
        }
        #expect(error.description.contains("ALTER ROLE \"\(tag)operator\" CREATEDB CREATEROLE"), "\(error)")
        #expect(!error.description.contains(settings.password!))
        #expect(try Self.databases(like: tag) == ["\(tag)db"], "no registry database, no probe left")
        #expect(try Self.roles(like: tag) == ["\(tag)operator"], "no probe role left")
    }

    @Test func aRoleWithCreatedbAndCreateroleGetsItsRegistryAndLeavesNoProbe() throws {
        let (_, tag, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let settings = try Self.role("CREATEDB CREATEROLE", tag: tag)
        try PostgreSQLProvisioning(settings: settings, prefix: tag).prepare()
        #expect(try Self.databases(like: tag) == ["\(tag)db", "\(tag)registry"])
        #expect(try Self.roles(like: tag) == ["\(tag)operator"])
        // The registry's database is UTF-8 in the "C" locale, whatever the server's.
        let psql = try PostgreSQLTestServer.shared().client(
            "SELECT pg_encoding_to_char(encoding), datcollate FROM pg_database WHERE datname = '\(tag)registry'")
        #expect(psql.output == "UTF8|C\n", "\(psql.output)")
        // A registry database already there (made by the operator beforehand) is used as it is.
        try PostgreSQLProvisioning(settings: settings, prefix: tag).prepare()
        let registry = try SQLRegistry.postgreSQL(settings: settings, create: true)
        #expect(try !registry.fingerprint().isEmpty)
    }
}
