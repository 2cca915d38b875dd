import Foundation
import Testing

@Suite("transfert init, zone, structure, stats, sample")
struct HostingCommandsTests {
    @Test func initCreatesAHostingThatSqlite3CanRead() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT id, name FROM zone") == "1|Zone par défaut")
        let configuration = try String(contentsOfFile: workspace.path("hosting/transfert.yaml"), encoding: .utf8)
        #expect(configuration.contains("base_url: \"https://a.example.org/sacoche/\""))
        #expect(configuration.contains("name: \"Hélène Dupré\""))
        let again = try workspace.transfert(["init", "--name", "x", "--base-url", "https://x.example.org/"])
        #expect(again.status != 0)
        #expect(again.stderr.contains("already holds a hosting"))
    }

    @Test func leadingAndTrailingHostingOptionsAndEnvironmentAgree() throws {
        let workspace = try Workspace()
        try workspace.initHosting("elsewhere")
        let leading = try run(transfertBinary, ["--hosting", workspace.path("elsewhere"), "zone", "list", "--json"])
        let trailing = try run(transfertBinary, ["zone", "list", "--json", "--hosting", workspace.path("elsewhere")])
        let environment = try run(transfertBinary, ["zone", "list", "--json"], environment: ["TRANSFERT_HOSTING": workspace.path("elsewhere")])
        #expect(leading.status == 0 && trailing.status == 0 && environment.status == 0, "\(leading.transcript)")
        #expect(leading.stdout == trailing.stdout && trailing.stdout == environment.stdout)
        let missing = try run(transfertBinary, ["zone", "list"], currentDirectory: workspace.url)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("is not an initialised hosting: run `transfert init` first"))
        #expect(!missing.stderr.contains("Fatal error"), "no stack traces for bad input")
    }

    @Test func zonesAndStructuresWithJSONKeysFromTheRegistry() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["zone", "add", "Académie de Besançon"])
        let added = try workspace.succeed([
            "structure", "add", "--uai", "0250010a", "--denomination", "Collège \"Victor Hugo\" ; site Nord",
            "--localisation", "Besançon", "--zone", "2", "--contact-nom", "Lefèvre", "--contact-prenom", "Agnès",
            "--contact-courriel", "agnes.lefevre@ac-besancon.fr", "--date", "2019-09-02", "--id", "12", "--json"])
        let structure = try #require(try workspace.json(added) as? [String: Any])
        #expect(structure["base_id"] as? Int == 12)
        #expect(structure["uai"] as? String == "0250010A")
        #expect(structure["contact_courriel"] as? String == "agnes.lefevre@ac-besancon.fr")
        #expect(structure["inscription_date"] as? String == "2019-09-02")
        #expect((structure["guid"] as? String)?.count == 36)

        let list = try #require(try workspace.json(try workspace.succeed(["structure", "list", "--json"])) as? [[String: Any]])
        #expect(list.count == 1)
        #expect(list.first?["denomination"] as? String == "Collège \"Victor Hugo\" ; site Nord")
        let show = try workspace.succeed(["structure", "show", "12"])
        #expect(show.stdout.contains("https://a.example.org/sacoche/?id=12"))
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT localisation FROM structure WHERE base_id = 12") == "Besançon")
        #expect(try workspace.sqlite("hosting/bases/base_12.sqlite", "SELECT value FROM parameters WHERE name = 'version_base'") == "2026-09-01")
    }

    @Test func invalidStructureNamesEveryFieldAndRuleAndExitsNonZero() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        let result = try workspace.transfert([
            "structure", "add", "--uai", "0250010E", "--denomination", "Collège", "--localisation", "Dole",
            "--zone", "4", "--contact-nom", "X", "--contact-prenom", "Y", "--contact-courriel", "pas@adresse"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("uai: '0250010E' has the wrong check letter: a UAI with these digits ends with 'A'"))
        #expect(result.stderr.contains("contact_courriel: 'pas@adresse' is not a valid e-mail address"))
        #expect(result.stderr.contains("zone_id: zone 4 does not exist"))
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("hosting/bases/base_1.sqlite")))
    }

    @Test func duplicateUAIAndIDAreRefused() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        let base = ["structure", "add", "--uai", "0750001U", "--denomination", "École", "--localisation", "Paris",
                    "--contact-nom", "Roux", "--contact-prenom", "Léa", "--contact-courriel", "lea.roux@example.org", "--id", "3"]
        try workspace.succeed(base)
        let again = try workspace.transfert(base)
        #expect(again.status != 0)
        #expect(again.stderr.contains("uai: 0750001U is already hosted here (establishment 3)"))
        #expect(again.stderr.contains("base_id: id 3 is already used by another establishment"))
    }

    @Test func sampleAndStats() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "2", "--students", "40", "--seed", "5"])
        let stats = try #require(try workspace.json(try workspace.succeed(["stats", "--all", "--json"])) as? [String: Any])
        let rows = try #require(stats["establishments"] as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows.first?["students"] as? Int == 40)
        #expect(rows.first?["grades"] as? Int == 40 * 500)
        let totals = try #require(stats["totals"] as? [String: Any])
        #expect(totals["students"] as? Int == 80)
        #expect(totals["establishments"] as? Int == 2)
        #expect(try workspace.sqlite("hosting/bases/base_1.sqlite", "SELECT COUNT(*) FROM grades") == "20000")
        #expect(try workspace.sqlite("hosting/bases/base_2.sqlite", "PRAGMA integrity_check") == "ok")

        let table = try workspace.succeed(["stats", "--ids", "2"])
        #expect(table.stdout.contains("Total (1)"))
        let unknown = try workspace.transfert(["stats", "--ids", "9"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no establishment has id 9"))
        let badList = try workspace.transfert(["stats", "--ids", "1,x"])
        #expect(badList.status != 0)
        #expect(badList.stderr.contains("'x' is not an establishment id"))
    }

    @Test func writtenFilesAreOwnerOnly() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "1", "--students", "5"])
        for file in ["hosting/registry.sqlite", "hosting/transfert.yaml", "hosting/bases/base_1.sqlite", "hosting/files/1/logo.png"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: workspace.path(file))
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
            #expect(mode & 0o077 == 0, "\(file) has mode \(String(mode, radix: 8))")
        }
    }
}
