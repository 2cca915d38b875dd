import Foundation
import Testing
import TransfertTestSupport

// Helpers shared by the tests that run hostings on the test PostgreSQL cluster. What the server holds is
// checked with `psql`, PostgreSQL's own client: a tool independent of Transfert's.

/// `psql` on the test cluster, as its superuser unless another role is given.
struct PSQL {
    let port: Int
    let superuser: String
    let superuserPassword: String

    init(_ server: PostgreSQLTestServer) {
        port = server.port
        superuser = server.user
        superuserPassword = server.password
    }

    /// Runs `sql` (one or more statements) unaligned, tuples only, fields separated by a tab, stopping at the
    /// first error; the status and both streams together.
    func run(_ sql: String, database: String = "postgres", user: String? = nil, password: String? = nil) throws
        -> (status: Int32, output: String)
    {
        guard let tool = which("psql") else { throw PSQLMissing() }
        let result = try TransfertEndToEndTests.run(
            tool,
            [
                "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", "\(port)",
                "-U", user ?? superuser, "-d", database, "-c", sql,
            ],
            environment: ["PGPASSWORD": password ?? superuserPassword, "PGCONNECT_TIMEOUT": "10"])
        return (result.status, result.stdout + result.stderr)
    }

    /// The output of `sql` as the superuser, trimmed; records an issue if psql fails.
    func value(
        _ sql: String, database: String = "postgres", sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        let result = try run(sql, database: database)
        #expect(result.status == 0, "\(sql): \(result.output)", sourceLocation: sourceLocation)
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The lines of `sql`'s output as the superuser.
    func lines(
        _ sql: String, database: String = "postgres", sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String] {
        try value(sql, database: database, sourceLocation: sourceLocation).split(separator: "\n").map(String.init)
    }

    /// Databases whose name starts with `prefix`, in name order.
    func databases(_ prefix: String) throws -> [String] {
        try lines("SELECT datname FROM pg_database WHERE starts_with(datname, '\(prefix)') ORDER BY 1")
    }

    /// Roles whose name starts with `prefix`, in name order.
    func roles(_ prefix: String) throws -> [String] {
        try lines("SELECT rolname FROM pg_roles WHERE starts_with(rolname, '\(prefix)') ORDER BY 1")
    }

    /// `pg_dump` of a database, as plain SQL without the lines that differ between two equal databases (the
    /// dump's own session token, owners and grants, which name roles of a given hosting).
    func dump(_ database: String) throws -> String {
        guard let tool = which("pg_dump") else { throw PSQLMissing() }
        let result = try TransfertEndToEndTests.run(
            tool,
            ["-h", "127.0.0.1", "-p", "\(port)", "-U", superuser, "--no-owner", "--no-privileges", "-Fp", database],
            environment: ["PGPASSWORD": superuserPassword])
        #expect(result.status == 0, "pg_dump \(database): \(result.stderr)")
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("\\restrict") && !$0.hasPrefix("\\unrestrict") && !$0.hasPrefix("--") }
            .joined(separator: "\n")
    }
}

struct PSQLMissing: Error, CustomStringConvertible {
    var description: String { "psql or pg_dump is not installed: apt-get install postgresql-client (make setup)" }
}

/// An operator role, as an installation would give Transfert: by default exactly the privileges the guide asks
/// for (`CREATEDB`, `CREATEROLE`), not a superuser; and a file holding its password.
func makePostgreSQLOperator(
    _ workspace: Workspace, server: PostgreSQLTestServer, attributes: String = "LOGIN CREATEDB CREATEROLE"
) throws -> Operator {
    let user = "op_\(UUID().uuidString.prefix(6).lowercased())"
    let password = "Pw-\(UUID().uuidString)"
    let created = try PSQL(server).run("CREATE ROLE \(user) \(attributes) PASSWORD '\(password)'")
    #expect(created.status == 0, "\(created.output)")
    let file = workspace.path("pg-password-\(user)")
    try (password + "\n").write(toFile: file, atomically: true, encoding: .utf8)
    return Operator(user: user, password: password, passwordFile: file)
}

/// `transfert init --backend postgres` of `hosting` on the test cluster.
func initPostgreSQL(
    _ workspace: Workspace, _ hosting: String, server: PostgreSQLTestServer, account: Operator, registry: String,
    prefix: String, profile: String = "Samples/school-profile.yaml"
) throws -> ProcessResult {
    try workspace.transfert(
        [
            "init", "--name", hosting, "--base-url", "https://\(hosting).example.org/sacoche/", "--webmaster-name",
            "Hélène Dupré", "--webmaster-email", "webmestre@hebergeur-scolaire.fr",
            "--profile", repositoryRoot.appendingPathComponent(profile).path,
            "--backend", "postgres", "--database-url",
            "postgres://\(account.user)@127.0.0.1:\(server.port)/\(registry)",
            "--password-file", account.passwordFile, "--database-prefix", prefix,
        ], hosting: hosting)
}

/// The CSV and ZIP of the one bundle in `folder` (results left aside).
func bundlePair(in folder: String, _ workspace: Workspace) throws -> (csv: String, zip: String) {
    let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path(folder)).filter {
        !$0.contains(".result.")
    }
    return (
        workspace.path("\(folder)/\(try #require(names.first { $0.hasSuffix(".csv") }))"),
        workspace.path("\(folder)/\(try #require(names.first { $0.hasSuffix(".zip") }))")
    )
}

/// A value of an establishment's owner-only credentials file (`credentials/base_<id>.yaml`).
func credential(_ key: String, in file: String) throws -> String {
    let text = try String(contentsOfFile: file, encoding: .utf8)
    let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("\(key):") }, "\(key) in \(file)")
    return line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces).trimmingCharacters(
        in: CharacterSet(charactersIn: "\"'"))
}
