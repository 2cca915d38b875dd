import Foundation
import Testing
import TransfertTestSupport

/// `init --backend postgres` against the tests' own cluster, as an operator meets it: a URL that cannot be
/// used, a wrong password, a role without its privileges, a server that is not there — each one readable
/// line (or one JSON object), a non-zero exit, no password anywhere, no half-made hosting.
@Suite("PostgreSQL init")
struct PostgreSQLInitTests {
    /// A login role with `attributes` and a password file for it.
    static func role(_ attributes: String, server: PostgreSQLTestServer, workspace: Workspace) throws -> (
        user: String, password: String, file: String
    ) {
        let user = "op\(UUID().uuidString.prefix(8).lowercased())"
        let password = "pw-\(UUID().uuidString)"
        let created = try server.client("CREATE ROLE \(user) LOGIN \(attributes) PASSWORD '\(password)'")
        #expect(created.status == 0, "\(created.output)")
        let file = workspace.path("\(user).password")
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: file))
        return (user, password, file)
    }

    static func initArguments(url: String, passwordFile: String?) -> [String] {
        [
            "init", "--name", "serveur-c", "--base-url", "https://c.example.org/sacoche/", "--webmaster-name", "Joël",
            "--webmaster-email", "webmestre@c.sacoche-hosting.fr", "--backend", "postgres", "--database-url", url,
        ] + (passwordFile.map { ["--password-file", $0] } ?? [])
    }

    @Test func aURLThatCannotBeUsedIsRefusedNamingTheOption() throws {
        let workspace = try Workspace()
        let withPassword = try workspace.transfert(
            Self.initArguments(url: "postgres://ops:secret-word@127.0.0.1:5432/r", passwordFile: nil), hosting: "c")
        #expect(withPassword.status != 0)
        #expect(withPassword.stderr.contains("--database-url") && withPassword.stderr.contains("holds a password"))
        #expect(!withPassword.transcript.contains("secret-word"))
        let unknown = try workspace.transfert(
            Self.initArguments(url: "postgres://ops@127.0.0.1:5432/r?sslmode=require", passwordFile: nil), hosting: "c")
        #expect(unknown.status != 0 && unknown.stderr.contains("`sslmode`"), "\(unknown.transcript)")
        let missing = try workspace.transfert(
            Array(Self.initArguments(url: "x", passwordFile: nil).dropLast(2)), hosting: "c")
        #expect(missing.status != 0 && missing.stderr.contains("--backend postgres needs --database-url"))
        #expect(!FileManager.default.fileExists(atPath: workspace.path("c")), "nothing written")
    }

    @Test func aWrongPasswordIsOneLineWithoutThePassword() throws {
        let server = try PostgreSQLTestServer.shared()
        let workspace = try Workspace()
        let role = try Self.role("CREATEDB CREATEROLE", server: server, workspace: workspace)
        let wrongFile = workspace.path("wrong.password")
        try Data("not-\(role.password)\n".utf8).write(to: URL(fileURLWithPath: wrongFile))
        let url = "postgres://\(role.user)@127.0.0.1:\(server.port)/\(role.user)_registry"
        let result = try workspace.transfert(Self.initArguments(url: url, passwordFile: wrongFile), hosting: "c")
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(result.transcript)")
        #expect(result.stderr.contains("PostgreSQL server 127.0.0.1:\(server.port)"), "\(result.transcript)")
        #expect(result.stderr.contains("28P01") && result.stderr.contains("password"), "\(result.transcript)")
        #expect(!result.transcript.contains(role.password), "never the password")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("c")), "no half-made hosting")
        let json = try workspace.transfert(
            Self.initArguments(url: url, passwordFile: wrongFile) + ["--json"], hosting: "c")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.transcript)")
        #expect(json.status != 0)
        #expect("\(object)".contains("postgresql.server"), "\(object)")
        #expect(!json.transcript.contains(role.password))
    }

    @Test func aRoleWithoutItsPrivilegesIsToldTheStatementAndNothingIsLeft() throws {
        let server = try PostgreSQLTestServer.shared()
        let workspace = try Workspace()
        let role = try Self.role("NOCREATEDB NOCREATEROLE", server: server, workspace: workspace)
        let url = "postgres://\(role.user)@127.0.0.1:\(server.port)/\(role.user)_registry"
        let result = try workspace.transfert(Self.initArguments(url: url, passwordFile: role.file), hosting: "c")
        #expect(result.status != 0)
        #expect(result.stderr.contains("lacks CREATEDB and CREATEROLE"), "\(result.transcript)")
        #expect(result.stderr.contains("ALTER ROLE \"\(role.user)\" CREATEDB CREATEROLE"), "\(result.transcript)")
        #expect(!result.transcript.contains(role.password))
        #expect(!FileManager.default.fileExists(atPath: workspace.path("c")), "no half-made hosting")
        let databases = try server.client("SELECT count(*) FROM pg_database WHERE datname LIKE '\(role.user)%'")
        #expect(databases.output == "0\n", "no registry database: \(databases.output)")
    }

    @Test func aServerThatIsNotThereIsNamed() throws {
        let workspace = try Workspace()
        let port = try #require(PostgreSQLTestServer.unusedPort())
        let file = workspace.path("pw")
        try Data("some-password\n".utf8).write(to: URL(fileURLWithPath: file))
        let result = try workspace.transfert(
            Self.initArguments(url: "postgres://ops@127.0.0.1:\(port)/r", passwordFile: file), hosting: "c")
        #expect(result.status != 0)
        #expect(result.stderr.contains("127.0.0.1:\(port)") && result.stderr.contains("Is the server running"))
        #expect(!result.transcript.contains("some-password"))
    }
}
