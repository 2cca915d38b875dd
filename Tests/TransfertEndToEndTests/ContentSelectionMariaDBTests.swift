import Foundation
import Testing
import TransfertTestSupport

/// Issue #26 on MariaDB hostings: `--without users` leaves no dangling reference (a LEFT JOIN over every
/// foreign key the server declares), an anonymised copy holds no original value and imports as a copy,
/// and SACoche's pseudonyms fit its declared lengths under strict mode.
@Suite("Content selection and anonymised copies on MariaDB", .serialized)
struct ContentSelectionMariaDBTests {
    let e2e = ContentSelectionEndToEndTests()

    func mariaDB(
        _ workspace: Workspace, _ hosting: String, server: MariaDBTestServer, account: Operator, tag: String,
        profile: String = "Samples/school-profile.yaml"
    ) throws {
        let created = try initMariaDB(
            workspace, hosting, server: server, account: account, registry: "\(tag)_registry", prefix: "\(tag)_",
            profile: profile)
        #expect(created.status == 0, "\(created.transcript)")
        try workspace.succeed(["zone", "add", "Académie de Besançon"], hosting: hosting)
    }

    func lines(_ server: MariaDBTestServer, _ sql: String) throws -> [String] {
        let result = try server.client(sql)
        #expect(result.status == 0, "\(sql): \(result.output)")
        return result.output.split(separator: "\n").map(String.init)
    }

    @Test func withoutUsersLeavesNoDanglingReferenceAndAnAnonymisedCopyNoOriginalValue() throws {
        let server = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        let account = try makeOperator(workspace, server: server)
        let tag = "c\(UUID().uuidString.prefix(6).lowercased())"
        try mariaDB(workspace, "maria", server: server, account: account, tag: tag)
        try workspace.succeed(["sample", "--structures", "1", "--students", "20", "--seed", "5"], hosting: "maria")
        let source = "\(tag)_base_1"

        // --without users, into another MariaDB hosting.
        try workspace.succeed(
            ["export", "--ids", "1", "--without", "users", "--out", workspace.path("without")], hosting: "maria")
        let without = try e2e.bundle(in: "without", workspace)
        #expect(
            try workspace.succeed(["verify", "--deep", without.csv, without.zip], hosting: "maria").stdout.contains(
                "VERIFIED (deep)"))
        try mariaDB(workspace, "partial", server: server, account: account, tag: "\(tag)p")
        try workspace.succeed(["import", without.csv, without.zip], hosting: "partial")
        let partial = "\(tag)p_base_1"
        let foreignKeys = try lines(
            server,
            "SELECT TABLE_NAME, COLUMN_NAME, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = '\(partial)' AND REFERENCED_TABLE_NAME IS NOT NULL"
        ).map { $0.split(separator: "\t").map(String.init) }
        #expect(foreignKeys.count >= 9, "the school schema's foreign keys: \(foreignKeys)")
        for key in foreignKeys where key.count == 4 {
            let dangling = try lines(
                server,
                "SELECT COUNT(*) FROM \(partial).`\(key[0])` c LEFT JOIN \(partial).`\(key[2])` p ON p.`\(key[3])` = c.`\(key[1])` WHERE c.`\(key[1])` IS NOT NULL AND p.`\(key[3])` IS NULL"
            )
            #expect(dangling == ["0"], "\(key[0]).\(key[1]) → \(key[2]): \(dangling)")
        }
        for table in ["users", "grades", "memberships"] {
            #expect(try lines(server, "SELECT COUNT(*) FROM \(partial).\(table)") == ["0"], "\(table) exists, empty")
        }
        #expect(
            try lines(server, "SELECT COUNT(*) FROM \(partial).subjects")
                == lines(server, "SELECT COUNT(*) FROM \(source).subjects"))

        // --anonymise: no original value in the bytes; refused as the establishment, imported as a copy.
        try workspace.succeed(
            ["export", "--ids", "1", "--anonymise", "--out", workspace.path("anon")], hosting: "maria")
        let anon = try e2e.bundle(in: "anon", workspace)
        #expect(
            try workspace.succeed(["verify", "--deep", anon.csv, anon.zip], hosting: "maria").stdout.contains(
                "VERIFIED (deep)"))
        var originals: [String] = []
        for column in ["last_name", "first_name", "login", "email"] {
            originals += try lines(server, "SELECT DISTINCT \(column) FROM \(source).users WHERE \(column) IS NOT NULL")
        }
        let registry = try #require(try e2e.structures(workspace, "maria").first)
        for key in ["contact_nom", "contact_prenom", "contact_courriel"] {
            originals.append(try #require(registry[key] as? String))
        }
        let schoolNames = ["denomination", "localisation"].compactMap { registry[$0] as? String }
        let (searched, found) = try e2e.search(
            originals, publicNames: schoolNames, zip: anon.zip, csv: anon.csv, workspace)
        #expect(searched > 50)
        #expect(found.isEmpty, "original values in the anonymised bundle: \(found)")

        try mariaDB(workspace, "copy", server: server, account: account, tag: "\(tag)c")
        let refused = try workspace.transfert(["import", anon.csv, anon.zip], hosting: "copy")
        #expect(refused.status != 0 && refused.stderr.contains("--as-copy"), "\(refused.transcript)")
        try workspace.succeed(["import", "--as-copy", anon.csv, anon.zip], hosting: "copy")
        let copy = "\(tag)c_base_1"
        for sql in [
            "SELECT COUNT(*) FROM {db}.memberships m JOIN {db}.users u ON u.id = m.user_id",
            "SELECT COUNT(*) FROM {db}.grades g JOIN {db}.users u ON u.id = g.student_id",
        ] {
            #expect(
                try lines(server, sql.replacingOccurrences(of: "{db}", with: copy))
                    == lines(server, sql.replacingOccurrences(of: "{db}", with: source)), "\(sql)")
        }
        #expect(try lines(server, "SELECT COUNT(*) - COUNT(DISTINCT login) FROM \(copy).users") == ["0"])
    }

    @Test func sacochePseudonymsFitItsColumnsUnderStrictMode() throws {
        let server = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        let account = try makeOperator(workspace, server: server)
        let tag = "s\(UUID().uuidString.prefix(6).lowercased())"
        let profile = "Samples/sacoche-profile.yaml"
        try mariaDB(workspace, "sacoche", server: server, account: account, tag: tag, profile: profile)
        try workspace.succeed(["sample", "--structures", "1", "--students", "15", "--seed", "9"], hosting: "sacoche")
        try workspace.succeed(
            ["export", "--ids", "1", "--anonymise", "--out", workspace.path("anon")], hosting: "sacoche")
        let anon = try e2e.bundle(in: "anon", workspace)
        let source = "\(tag)_base_1"
        var originals: [String] = []
        for column in ["user_nom", "user_prenom", "user_login", "user_email"] {
            originals += try lines(
                server, "SELECT DISTINCT \(column) FROM \(source).sacoche_user WHERE \(column) <> ''")
        }
        let registry = try #require(try e2e.structures(workspace, "sacoche").first)
        let schoolNames = ["denomination", "localisation"].compactMap { registry[$0] as? String }
        let (searched, found) = try e2e.search(
            originals, publicNames: schoolNames, zip: anon.zip, csv: anon.csv, workspace)
        #expect(searched > 20)
        #expect(found.isEmpty, "original values in the anonymised SACoche bundle: \(found)")

        try mariaDB(workspace, "copy", server: server, account: account, tag: "\(tag)c", profile: profile)
        let imported = try workspace.succeed(["import", "--as-copy", anon.csv, anon.zip], hosting: "copy")
        #expect(!imported.stdout.contains("truncated"), "\(imported.stdout)")
        let copy = "\(tag)c_base_1"
        #expect(
            try lines(server, "SELECT COUNT(*) FROM \(copy).sacoche_user")
                == lines(server, "SELECT COUNT(*) FROM \(source).sacoche_user"))
        #expect(
            try lines(
                server,
                "SELECT COUNT(*) FROM \(copy).sacoche_saisie s JOIN \(copy).sacoche_user u ON u.user_id = s.eleve_id")
                == lines(
                    server,
                    "SELECT COUNT(*) FROM \(source).sacoche_saisie s JOIN \(source).sacoche_user u ON u.user_id = s.eleve_id"
                ))
        #expect(
            try lines(
                server,
                "SELECT COUNT(*) FROM \(copy).sacoche_user WHERE user_email <> '' AND user_email NOT LIKE '%@anonyme.invalid'"
            )
                == ["0"])
        #expect(try lines(server, "SELECT MAX(CHAR_LENGTH(user_password)) FROM \(copy).sacoche_user") == ["32"])
    }
}
