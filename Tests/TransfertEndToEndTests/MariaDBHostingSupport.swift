import Foundation
import Testing
import TransfertTestSupport

// Helpers shared by the tests that run hostings on the test MariaDB server.

/// An operator account with a password, as an installation would give Transfert, and a file holding it.
struct Operator {
    let user: String
    let password: String
    let passwordFile: String
}

func makeOperator(
    _ workspace: Workspace, server: MariaDBTestServer,
    privileges: String = "ALL PRIVILEGES ON *.* TO {user} WITH GRANT OPTION"
) throws -> Operator {
    let user = "op_\(UUID().uuidString.prefix(6).lowercased())"
    let password = "Pw-\(UUID().uuidString)"
    let grant = privileges.replacingOccurrences(of: "{user}", with: "'\(user)'@'%'")
    let created = try server.client("CREATE USER '\(user)'@'%' IDENTIFIED BY '\(password)'; GRANT \(grant);")
    #expect(created.status == 0, "\(created.output)")
    let file = workspace.path("db-password")
    try (password + "\n").write(toFile: file, atomically: true, encoding: .utf8)
    return Operator(user: user, password: password, passwordFile: file)
}

func initMariaDB(
    _ workspace: Workspace, _ hosting: String, server: MariaDBTestServer, account: Operator, registry: String,
    prefix: String,
    profile: String = "Samples/school-profile.yaml"
) throws -> ProcessResult {
    try workspace.transfert(
        [
            "init", "--name", hosting, "--base-url", "https://\(hosting).example.org/sacoche/", "--webmaster-name",
            "Hélène Dupré",
            "--webmaster-email", "webmestre@hebergeur-scolaire.fr",
            "--profile", repositoryRoot.appendingPathComponent(profile).path,
            "--backend", "mariadb", "--database-url", "mysql://\(account.user)@127.0.0.1:\(server.port)/\(registry)",
            "--password-file", account.passwordFile, "--database-prefix", prefix,
        ], hosting: hosting)
}
