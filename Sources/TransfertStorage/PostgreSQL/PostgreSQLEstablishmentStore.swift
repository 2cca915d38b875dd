import Foundation
import TransfertFormats
import TransfertModel

/// Establishment databases on a PostgreSQL server: `<prefix>base_<id>`, each owned by its own role
/// `<prefix>user_<id>` (the way SACoche gives each establishment its own database and account), whose
/// settings are written owner-only in the hosting (`credentials/base_<id>.yaml`,
/// ``EstablishmentAccount``), where the hosted application reads them.
///
/// Transfert itself connects with the operator's role, which is a member of every establishment role
/// (it grants itself each one it creates): its sessions on an establishment's database `SET ROLE` to that
/// role, so that every table, index and view is the establishment's own, which the application may then
/// alter. Administrative statements (`CREATE DATABASE`, `DROP ROLE`…) run on the registry's database,
/// since PostgreSQL needs a database for every connection.
package struct PostgreSQLEstablishmentStore: EstablishmentStore {
    /// The operator's role, on the registry's database.
    package let settings: PostgreSQLSettings
    /// Databases are `<prefix>base_<id>`.
    package let prefix: String
    /// Where each establishment's connection settings are written; nil for stores that create no role
    /// (scratch and staging databases).
    package let credentialsDirectory: URL?
    /// The prefix of the roles that own the databases (`<ownerPrefix>user_<id>`): the store's own prefix
    /// for a hosting, the live one's for a staging database (so that it is the establishment's once
    /// swapped in), nil for scratch databases (the operator's own).
    package let ownerPrefix: String?

    package init(settings: PostgreSQLSettings, prefix: String, credentialsDirectory: URL?, ownerPrefix: String?) {
        self.settings = settings
        self.prefix = prefix
        self.credentialsDirectory = credentialsDirectory
        self.ownerPrefix = ownerPrefix
    }

    /// Whether this store creates (and drops) the establishments' roles.
    private var managesRoles: Bool { credentialsDirectory != nil }

    /// Every value is checked against its column's type while parsing (an integer bound for a double
    /// precision or a text column would be stored converted), so the parsed digests stand for what COPY
    /// stored (``StoredValueRules``).
    package var storedValueRules: StoredValueRules? { .postgresqlColumnTypes }

    package func databaseName(baseID: Int64) -> String { "\(prefix)base_\(baseID)" }
    package func roleName(baseID: Int64) -> String? { ownerPrefix.map { "\($0)user_\(baseID)" } }

    func admin() throws -> PostgreSQLConnection { try PostgreSQLConnection(settings) }

    package func create(baseID: Int64, schema: DatabaseSchema) throws {
        let admin = try admin()
        defer { admin.close() }
        let database = databaseName(baseID: baseID)
        // Checked before anything is created: a failure below removes only what this call made.
        if try databaseExists(database, admin: admin) {
            throw EstablishmentStoreError.alreadyExists(
                baseID: baseID, path: "database \(database) on \(settings.server)")
        }
        let role = roleName(baseID: baseID)
        if managesRoles, let role, try roleExists(role, admin: admin) {
            throw EstablishmentStoreError.alreadyExists(baseID: baseID, path: "role \(role) on \(settings.server)")
        }
        do {
            if managesRoles, let role, let credentialsDirectory {
                let password = EstablishmentAccount.generatePassword()
                try admin.execute(
                    "CREATE ROLE \(PostgreSQLQuoting.identifier(role)) LOGIN PASSWORD \(PostgreSQLQuoting.literal(password))"
                )
                // Membership lets the operator's sessions act as the role, and give it its database.
                try admin.execute("GRANT \(PostgreSQLQuoting.identifier(role)) TO CURRENT_USER")
                try EstablishmentAccount(
                    host: settings.host, port: settings.port, socket: settings.socket, database: database, user: role,
                    password: password
                ).write(baseID: baseID, in: credentialsDirectory)
            }
            let owner =
                try owner(baseID: baseID, admin: admin).map { " OWNER \(PostgreSQLQuoting.identifier($0))" } ?? ""
            try admin.execute(
                "CREATE DATABASE \(PostgreSQLQuoting.identifier(database))\(owner) \(PostgreSQLProvisioning.databaseOptions)"
            )
            // PostgreSQL lets every role open a session on a new database (PUBLIC has CONNECT): an
            // establishment's role reaches its own database only, as MariaDB's grants say. The owner (its
            // role) and the operator (a member of it, or the scratch databases' owner) keep their access.
            try admin.execute(
                "REVOKE CONNECT, TEMPORARY ON DATABASE \(PostgreSQLQuoting.identifier(database)) FROM PUBLIC")
            try inTransaction(baseID: baseID, loading: false) { writer in try writer.create(schema) }
        } catch {
            try? remove(baseID: baseID)
            throw error
        }
    }

    /// The role that owns `baseID`'s database, when there is one on the server.
    private func owner(baseID: Int64, admin: PostgreSQLConnection) throws -> String? {
        guard let role = roleName(baseID: baseID), try roleExists(role, admin: admin) else { return nil }
        return role
    }

    private func databaseExists(_ database: String, admin: PostgreSQLConnection) throws -> Bool {
        try !admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [.text(database)]).isEmpty
    }

    private func roleExists(_ role: String, admin: PostgreSQLConnection) throws -> Bool {
        try !admin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [.text(role)]).isEmpty
    }

    /// Whether the database — or, for a hosting's store, the role — of `baseID` is on the server: either
    /// makes the id taken (someone's work is there).
    package func exists(baseID: Int64) -> Bool {
        guard let admin = try? admin() else { return false }
        defer { admin.close() }
        if (try? databaseExists(databaseName(baseID: baseID), admin: admin)) == true { return true }
        guard managesRoles, let role = roleName(baseID: baseID) else { return false }
        return (try? roleExists(role, admin: admin)) == true
    }

    package func databaseIDs() throws -> [Int64] {
        let admin = try admin()
        defer { admin.close() }
        let pattern =
            prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "_", with: "\\_")
            .replacingOccurrences(of: "%", with: "\\%") + "base\\_%"
        return try admin.query("SELECT datname FROM pg_database WHERE datname LIKE $1", [.text(pattern)])
            .compactMap { row in
                guard case .text(let name) = row.first else { return nil }
                return Int64(name.dropFirst(prefix.count + "base_".count))
            }
            .sorted()
    }

    package func location(baseID: Int64) -> String { "database \(databaseName(baseID: baseID)) on \(settings.server)" }

    /// Drops the database (ending the sessions still on it: removing an establishment means them too) and,
    /// for a hosting's store, its role and settings file.
    package func remove(baseID: Int64) throws {
        let admin = try admin()
        defer { admin.close() }
        try admin.execute(
            "DROP DATABASE IF EXISTS \(PostgreSQLQuoting.identifier(databaseName(baseID: baseID))) WITH (FORCE)")
        if managesRoles, let role = roleName(baseID: baseID) {
            try admin.execute("DROP ROLE IF EXISTS \(PostgreSQLQuoting.identifier(role))")
            if let credentialsDirectory { EstablishmentAccount.remove(baseID: baseID, in: credentialsDirectory) }
        }
    }

    package func storageSize(baseID: Int64) throws -> Int64 {
        let admin = try admin()
        defer { admin.close() }
        guard try databaseExists(databaseName(baseID: baseID), admin: admin) else {
            throw EstablishmentStoreError.missing(baseID: baseID, path: location(baseID: baseID))
        }
        return try admin.scalar("SELECT pg_database_size($1)", [.text(databaseName(baseID: baseID))]).integerValue ?? 0
    }

    package func read<T>(baseID: Int64, _ body: (any EstablishmentReader) throws -> T) throws -> T {
        let connection = try open(baseID: baseID)
        defer { connection.close() }
        // One snapshot for everything the body reads (MVCC): writers are neither blocked nor seen.
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        defer { _ = try? connection.execute("COMMIT") }
        return try body(PostgreSQLEstablishmentReader(connection: connection))
    }

    package func write(baseID: Int64, _ body: (any EstablishmentWriter) throws -> Void) throws {
        try inTransaction(baseID: baseID, loading: false, body)
    }

    package func load(baseID: Int64, _ body: (any EstablishmentWriter) throws -> Void) throws {
        try inTransaction(baseID: baseID, loading: true, body)
    }

    /// Runs `body` with a writer in one transaction: what it held back is added, then COMMIT; ROLLBACK if
    /// anything failed (a COPY still open is given up first, so that the connection can say it).
    private func inTransaction(baseID: Int64, loading: Bool, _ body: (any EstablishmentWriter) throws -> Void) throws {
        let connection = try open(baseID: baseID)
        defer { connection.close() }
        try connection.execute("BEGIN")
        let writer = PostgreSQLEstablishmentWriter(connection: connection, loading: loading)
        do {
            if loading {
                try writer.raiseIndexBuildMemory()
                try writer.holdBackExistingForeignKeys()
            }
            try body(writer)
            try writer.finish()
            try connection.execute("COMMIT")
        } catch {
            writer.abandon()
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// A session on `baseID`'s database, acting as its owner role when it has one.
    func open(baseID: Int64) throws -> PostgreSQLConnection {
        let connection: PostgreSQLConnection
        do {
            connection = try PostgreSQLConnection(settings.with(database: databaseName(baseID: baseID)))
        } catch let error as PostgreSQLError where error.sqlState == PostgreSQLError.State.invalidCatalog {
            throw EstablishmentStoreError.missing(baseID: baseID, path: location(baseID: baseID))
        }
        if let role = roleName(baseID: baseID),
            try !connection.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [.text(role)]).isEmpty
        {
            try connection.execute("SET ROLE \(PostgreSQLQuoting.identifier(role))")
        }
        return connection
    }

    /// The database's stamp (``PostgreSQLChangeStamp``), observed from a session on it.
    package func changeStamp(baseID: Int64) throws -> DatabaseChangeStamp {
        let connection = try open(baseID: baseID)
        defer { connection.close() }
        return try PostgreSQLChangeStamp.read(connection)
    }
}
