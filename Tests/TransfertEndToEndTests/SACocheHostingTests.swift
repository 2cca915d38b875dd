import Foundation
import Testing
import TransfertTestSupport

/// `sample` and `doctor` on a hosting with SACoche's profile: `sample` fills SACoche's own tables (and
/// refuses, before creating anything, a profile it has no rows for), and `doctor` finds a half-created establishment —
/// registered without a database, or whose database has no schema version or none of the profile's tables.
@Suite("sample and doctor on a SACoche hosting", .serialized)
struct SACocheHostingTests {
    func sacocheHosting(_ workspace: Workspace) throws {
        try workspace.initHosting(
            "hosting", name: "serveur-sacoche", baseURL: "https://sacoche.example.org/",
            profile: "Samples/sacoche-profile.yaml")
    }

    @Test(
        "sample fills a SACoche hosting with SACoche's rows, which export --format sacoche writes and the independent reader reads"
    )
    func sampleFillsSACochesTables() throws {
        let workspace = try Workspace()
        try sacocheHosting(workspace)
        try workspace.succeed(["sample", "--structures", "2", "--students", "30", "--seed", "4"])
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure") == "2")
        #expect(
            try workspace.sqlite(
                "hosting/bases/base_1.sqlite", "SELECT COUNT(*) FROM sacoche_user WHERE user_profil_sigle = 'ELV'")
                == "30")
        #expect(try workspace.sqlite("hosting/bases/base_1.sqlite", "SELECT COUNT(*) FROM sacoche_saisie") == "15000")
        #expect(
            try workspace.sqlite(
                "hosting/bases/base_1.sqlite",
                "SELECT parametre_valeur FROM sacoche_parametre WHERE parametre_nom = 'version_base'") == "2017-09-19")
        #expect(try workspace.succeed(["doctor"]).stdout.contains("the hosting is consistent"))
        let out = workspace.path("out")
        try workspace.succeed(["export", "--format", "sacoche", "--ids", "1,2", "--out", out])
        let names = try FileManager.default.contentsOfDirectory(atPath: out)
        let csv = out + "/" + (try #require(names.first { $0.hasSuffix(".csv") }))
        let zip = out + "/" + (try #require(names.first { $0.hasSuffix(".zip") }))
        let python = try #require(which("python3"))
        let read = try run(
            python, [repositoryRoot.appendingPathComponent("Tests/Tools/sacoche_reader.py").path, "read", csv, zip])
        #expect(read.status == 0, "\(read.transcript)")
        #expect(read.stdout.contains("\"sacoche_saisie\""))
        try workspace.succeed(["verify", "--deep", csv, zip], hosting: "none")
    }

    @Test(
        "sample on a hosting whose profile has neither the school's tables nor SACoche's refuses before creating anything"
    )
    func sampleRefusesCleanly() throws {
        let workspace = try Workspace()
        let text = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Samples/school-profile.yaml"), encoding: .utf8
        )
        .replacingOccurrences(of: "users", with: "people")
        let profile = workspace.path("profile.yaml")
        try text.write(toFile: profile, atomically: true, encoding: .utf8)
        try workspace.succeed([
            "init", "--name", "serveur-x", "--base-url", "https://x.example.org/", "--profile", profile,
            "--webmaster-name", "Webmestre", "--webmaster-email", "webmestre@hebergeur-scolaire.fr",
        ])
        let sample = try workspace.transfert(["sample", "--structures", "2", "--students", "5"])
        #expect(sample.status != 0)
        #expect(
            sample.stderr.contains("nothing was created") && sample.stderr.contains("lacks users"),
            "\(sample.transcript)")
        #expect(!sample.stderr.contains("no such table"))
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: workspace.path("hosting/bases"))) ?? []).isEmpty)
        #expect(try workspace.succeed(["doctor"]).stdout.contains("the hosting is consistent"))
    }

    @Test("doctor finds every kind of half-created establishment and says what to do")
    func doctorFindsHalfCreatedEstablishments() throws {
        let workspace = try Workspace()
        try sacocheHosting(workspace)
        for name in ["A", "B", "C", "D"] {
            try workspace.succeed([
                "structure", "add", "--zone", "1", "--localisation", "Lyon", "--denomination", "Collège \(name)",
                "--contact-nom", "Durand", "--contact-prenom", "Zoé", "--contact-courriel", "zoe.durand@example.org",
            ])
        }
        #expect(
            try workspace.succeed(["doctor"]).stdout.contains("the hosting is consistent"),
            "a fresh establishment is whole")
        try FileManager.default.removeItem(atPath: workspace.path("hosting/bases/base_1.sqlite"))
        _ = try workspace.sqlite("hosting/bases/base_2.sqlite", "DELETE FROM sacoche_parametre")
        let tables = try workspace.sqlite(
            "hosting/bases/base_3.sqlite", "SELECT name FROM sqlite_master WHERE type = 'table'")
        _ = try workspace.sqlite(
            "hosting/bases/base_3.sqlite", tables.split(separator: "\n").map { "DROP TABLE \"\($0)\";" }.joined())
        let doctor = try workspace.succeed(["doctor", "--json"])
        let report = try #require(try workspace.json(doctor) as? [String: Any])
        let findings = (report["findings"] as? [String] ?? []).joined(separator: "\n")
        #expect(
            findings.contains(
                "establishment 1 (Lyon | Collège A) is half-created: it is registered but has no database"),
            "\(findings)")
        #expect(
            findings.contains(
                "establishment 2 (Lyon | Collège B) is half-created: its database has no schema version (no version_base row in sacoche_parametre)"
            ), "\(findings)")
        #expect(
            findings.contains("establishment 3 (Lyon | Collège C) is half-created: its database holds no table"),
            "\(findings)")
        #expect(!findings.contains("establishment 4"), "\(findings)")
        #expect(
            findings.contains("transfert doctor --remove-half-created")
                && findings.contains("transfert structure remove --ids 2 --force"))

        let dry = try workspace.succeed(["doctor", "--remove-half-created", "--dry-run"])
        #expect(
            dry.stdout.contains("Would clean: establishment 2 (Lyon | Collège B), half-created"), "\(dry.transcript)")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure") == "4")
        let fixed = try workspace.succeed(["doctor", "--remove-half-created"])
        #expect(
            fixed.stdout.contains(
                "Cleaned: establishment 1 (Lyon | Collège A), half-created (it is registered but has no database), was removed"
            ), "\(fixed.transcript)")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT base_id FROM structure") == "4")
        #expect(
            try workspace.sqlite(
                "hosting/registry.sqlite", "SELECT COUNT(*) FROM transfer_journal WHERE event = 'removed'") == "3")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("hosting/bases/base_2.sqlite")))
        #expect(try workspace.succeed(["doctor"]).stdout.contains("the hosting is consistent"))
    }

    /// The MySQL check of an import reads the restored values back from MariaDB too (dates, datetimes,
    /// floats as the server returns them): a sound sample goes through, and back out in SACoche's format.
    @Test(
        "a SACoche sample moves SQLite → MariaDB in Transfert's format (values checked by MySQL's rules on MariaDB's read-back) and out in SACoche's"
    )
    func sampleMovesToMariaDB() throws {
        let server = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        try sacocheHosting(workspace)
        try workspace.succeed(["sample", "--structures", "1", "--students", "30", "--seed", "6"])
        let out = workspace.path("out")
        try workspace.succeed(["export", "--ids", "1", "--out", out])
        let names = try FileManager.default.contentsOfDirectory(atPath: out)
        let csv = out + "/" + (try #require(names.first { $0.hasSuffix(".csv") }))
        let zip = out + "/" + (try #require(names.first { $0.hasSuffix(".zip") }))
        let account = try makeOperator(workspace, server: server)
        let prefix = "sam\(UUID().uuidString.prefix(4).lowercased())_"
        let created = try initMariaDB(
            workspace, "maria", server: server, account: account, registry: "\(prefix)registry", prefix: prefix,
            profile: "Samples/sacoche-profile.yaml")
        #expect(created.status == 0, "\(created.transcript)")
        try workspace.succeed(["import", csv, zip], hosting: "maria")
        let count = try server.client("SELECT COUNT(*) FROM sacoche_saisie", database: "\(prefix)base_1")
        #expect(count.output.contains("15000"), "\(count.output)")
        try workspace.succeed(
            ["export", "--format", "sacoche", "--ids", "1", "--out", workspace.path("back")], hosting: "maria")
    }
}
