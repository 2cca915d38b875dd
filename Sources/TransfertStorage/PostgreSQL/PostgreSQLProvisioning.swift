import Foundation
import TransfertFormats
import TransfertModel

/// What `init` checks and prepares on a PostgreSQL server before anything of a hosting is written: the
/// server's version, the registry's database, and that the operator's role may do what every later command
/// needs — create and drop databases (`CREATEDB`) and roles (`CREATEROLE`), and give a database to a role —
/// so that a missing privilege is a clear refusal at `init`, with the statement that grants it, not a
/// failure halfway through an import.
struct PostgreSQLProvisioning {
    let settings: PostgreSQLSettings
    let prefix: String

    /// `UNIQUE NULLS NOT DISTINCT`, which the registry's keys use, came with PostgreSQL 15.
    static let minimumVersion = 150_000

    func prepare() throws {
        guard let registry = settings.database, !registry.isEmpty else {
            throw DatabaseURLError.invalid(
                .postgresql, settings.url, "the URL names no registry database (postgres://USER@HOST:PORT/REGISTRY_DB)")
        }
        let admin = try maintenanceConnection()
        defer { admin.close() }
        let version = try admin.scalar("SELECT current_setting('server_version_num')::int").integerValue ?? 0
        guard version >= Self.minimumVersion else {
            throw PostgreSQLProvisioningError(
                server: settings.server, user: settings.user,
                problem:
                    "the server runs PostgreSQL \(version / 10000), and Transfert needs PostgreSQL 15 or later (its registry's unique keys count NULL as a value, which 15 introduced)",
                remedy: "Upgrade the server, or use another one")
        }
        try checkRoleAttributes(admin)
        // Rehearsed first: a role that cannot do it all leaves nothing behind, not even the registry's database.
        try rehearse(admin)
        let exists = try !admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [.text(registry)]).isEmpty
        if !exists {
            try require("CREATEDB (to create the registry database \(registry))") {
                try admin.execute("CREATE DATABASE \(PostgreSQLQuoting.identifier(registry)) \(Self.databaseOptions)")
                // The registry holds every establishment's contact: no establishment's role may open it.
                try admin.execute(
                    "REVOKE CONNECT, TEMPORARY ON DATABASE \(PostgreSQLQuoting.identifier(registry)) FROM PUBLIC")
            }
        }
    }

    /// What an import does — a role, a database it owns, both dropped — done once and undone at once.
    private func rehearse(_ admin: PostgreSQLConnection) throws {
        let probe = "\(prefix)probe_\(UUID().uuidString.prefix(8).lowercased())"
        let database = PostgreSQLQuoting.identifier(probe)
        let role = PostgreSQLQuoting.identifier(probe)
        defer {
            _ = try? admin.execute("DROP DATABASE IF EXISTS \(database)")
            _ = try? admin.execute("DROP ROLE IF EXISTS \(role)")
        }
        try require("CREATEROLE (each establishment gets its own role)") {
            try admin.execute(
                "CREATE ROLE \(role) LOGIN PASSWORD \(PostgreSQLQuoting.literal(UUID().uuidString.lowercased()))")
        }
        try require("membership of the roles it creates (to give each establishment's role its database)") {
            try admin.execute("GRANT \(role) TO CURRENT_USER")
        }
        try require("CREATEDB (for the establishments' databases)") {
            try admin.execute("CREATE DATABASE \(database) OWNER \(role) \(Self.databaseOptions)")
        }
        try require("DROP DATABASE and DROP ROLE (to remove establishments and failed imports)") {
            try admin.execute("DROP DATABASE \(database)")
            try admin.execute("DROP ROLE \(role)")
        }
    }

    /// Every database Transfert creates: UTF-8, and the "C" locale, under which text sorts and compares
    /// byte for byte whatever the server's own locale (template0: the only template that may change them).
    static let databaseOptions = "TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"

    /// A connection to the server's maintenance database (`postgres`, or `template1` where it was dropped),
    /// since the registry's may not exist yet.
    private func maintenanceConnection() throws -> PostgreSQLConnection {
        do {
            return try PostgreSQLConnection(settings.with(database: "postgres"))
        } catch let error as PostgreSQLError where error.sqlState == PostgreSQLError.State.invalidCatalog {
            return try PostgreSQLConnection(settings.with(database: "template1"))
        }
    }

    /// The role's own attributes, read before anything is tried: a missing one is named with its cure.
    private func checkRoleAttributes(_ admin: PostgreSQLConnection) throws {
        guard
            let row = try admin.query(
                "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = current_user"
            ).first, row.count == 3
        else { return }
        if row[0] == .integer(1) { return }
        var missing: [String] = []
        if row[1] != .integer(1) { missing.append("CREATEDB") }
        if row[2] != .integer(1) { missing.append("CREATEROLE") }
        guard missing.isEmpty else {
            throw PostgreSQLProvisioningError(
                server: settings.server, user: settings.user,
                problem:
                    "the role \(settings.user) lacks \(missing.joined(separator: " and ")), which Transfert needs to give each establishment its own database and role",
                remedy:
                    "As a superuser, run: ALTER ROLE \(PostgreSQLQuoting.identifier(settings.user)) CREATEDB CREATEROLE; then run init again"
            )
        }
    }

    private func require(_ privilege: String, _ body: () throws -> Void) throws {
        do { try body() } catch let error as PostgreSQLError where error.isMissingPrivilege {
            throw PostgreSQLProvisioningError(
                server: settings.server, user: settings.user,
                problem:
                    "the role \(settings.user) lacks a privilege Transfert needs: \(privilege) (the server said: \(error.message))",
                remedy:
                    "As a superuser, run: ALTER ROLE \(PostgreSQLQuoting.identifier(settings.user)) CREATEDB CREATEROLE; then run init again"
            )
        }
    }
}

/// The operator's role (or the server) cannot do something every hosting needs. Nothing was created.
package struct PostgreSQLProvisioningError: Error, Equatable, Sendable, CustomStringConvertible {
    package var server: String
    package var user: String
    package var problem: String
    /// What to do, as a statement to run where there is one.
    package var remedy: String

    package var description: String {
        "PostgreSQL server \(server): \(problem). Nothing of the hosting was created. \(remedy) (see \"PostgreSQL hostings\" in Docs/user-guide.md)"
    }
}

extension PostgreSQLProvisioningError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    package var problemCode: ProblemCode { .postgresqlProvisioning }
}
