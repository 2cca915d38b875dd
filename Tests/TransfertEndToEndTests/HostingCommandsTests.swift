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
        let environment = try run(
            transfertBinary, ["zone", "list", "--json"], environment: ["TRANSFERT_HOSTING": workspace.path("elsewhere")]
        )
        #expect(leading.status == 0 && trailing.status == 0 && environment.status == 0, "\(leading.transcript)")
        #expect(leading.stdout == trailing.stdout && trailing.stdout == environment.stdout)
        let missing = try run(
            transfertBinary, ["zone", "list"], environment: ["TRANSFERT_HOSTING": ""], currentDirectory: workspace.url)
        #expect(missing.status != 0)
        #expect(
            missing.stderr.contains("neither --hosting nor $TRANSFERT_HOSTING is set, so ./hosting was tried"),
            "\(missing.transcript)")
        #expect(!missing.stderr.contains("Fatal error"), "no stack traces for bad input")
    }

    /// Without a hosting where the command looks, it says which directory it tried and why that one, how to
    /// point at the right one, and only then how to create one — as text, and as a JSON error object.
    @Test func aMissingHostingNamesTheDirectoryTriedWhyAndHowToPointElsewhere() throws {
        let workspace = try Workspace()
        try FileManager.default.createDirectory(atPath: workspace.path("empty"), withIntermediateDirectories: true)
        let fallback = workspace.url.appendingPathComponent("hosting").standardizedFileURL.path
        let cases: [(arguments: [String], environment: [String: String], expected: String)] = [
            (
                ["zone", "list"], ["TRANSFERT_HOSTING": ""],
                "no hosting given: neither --hosting nor $TRANSFERT_HOSTING is set, so ./hosting was tried (\(fallback)), and that directory does not exist."
            ),
            (
                ["zone", "list"], ["TRANSFERT_HOSTING": workspace.path("absent")],
                "$TRANSFERT_HOSTING is \(workspace.path("absent")), and that directory does not exist."
            ),
            (
                ["--hosting", workspace.path("empty"), "structure", "list"], ["TRANSFERT_HOSTING": ""],
                "--hosting \(workspace.path("empty")): it holds no hosting (no transfert.yaml in it)."
            ),
            (
                ["structure", "list", "--hosting", workspace.path("empty")],
                ["TRANSFERT_HOSTING": workspace.path("absent")],
                "--hosting \(workspace.path("empty")): it holds no hosting (no transfert.yaml in it)."
            ),
        ]
        for (arguments, environment, expected) in cases {
            let result = try run(transfertBinary, arguments, environment: environment, currentDirectory: workspace.url)
            #expect(result.status == 1, "\(result.transcript)")
            #expect(result.stderr.contains(expected), "\(arguments) \(environment): \(result.transcript)")
            let point = try #require(result.stderr.range(of: "--hosting DIR"), "\(result.transcript)")
            let create = try #require(
                result.stderr.range(of: "init --name NAME --base-url URL"), "\(result.transcript)")
            #expect(point.lowerBound < create.lowerBound, "how to point elsewhere comes before how to create one")
            #expect(result.stderr.contains("TRANSFERT_HOSTING=DIR"), "\(result.transcript)")
            #expect(!FileManager.default.fileExists(atPath: fallback), "nothing is created")

            let json = try run(
                transfertBinary, arguments + ["--json"], environment: environment, currentDirectory: workspace.url)
            #expect(json.status == 1)
            let error = try #require(
                (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["error"]
                    as? [String: Any],
                "\(json.transcript)")
            #expect(error["code"] as? String == "hosting_location.no_hosting", "\(error)")
            #expect((error["message"] as? String)?.contains(expected) == true, "\(error)")
        }
        // `init` in the fallback says where it created the hosting and how other commands find it.
        let created = try run(
            transfertBinary,
            [
                "init", "--name", "x", "--base-url", "https://x.example.org/", "--webmaster-email",
                "w@hebergeur-scolaire.fr",
            ],
            environment: ["TRANSFERT_HOSTING": ""], currentDirectory: workspace.url)
        #expect(created.status == 0, "\(created.transcript)")
        #expect(created.stdout.contains("export TRANSFERT_HOSTING=\(fallback)"), "\(created.transcript)")
    }

    /// The default profile is inside the binary: `init` works from any directory, with the binary anywhere.
    /// Its one source is Sources/TransfertKit/Resources/school-profile.yaml; Samples/ links to it.
    @Test func initFindsTheBuiltInProfileFromAnyDirectory() throws {
        let workspace = try Workspace()
        let elsewhere = workspace.url.appendingPathComponent("elsewhere/deeper")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        // The binary away from the source tree (a hard link: same file system, no copy of ~100 MB).
        let binary = workspace.path("bin/transfert")
        try FileManager.default.createDirectory(atPath: workspace.path("bin"), withIntermediateDirectories: true)
        let built = URL(fileURLWithPath: transfertBinary).resolvingSymlinksInPath()
        do { try FileManager.default.linkItem(at: built, to: URL(fileURLWithPath: binary)) } catch {
            try FileManager.default.copyItem(at: built, to: URL(fileURLWithPath: binary))
        }
        let result = try run(
            binary, ["init", "--name", "serveur-a", "--base-url", "https://a.example.org/sacoche/"],
            environment: ["TRANSFERT_HOSTING": "", "TRANSFERT_PROFILE": ""], currentDirectory: elsewhere)
        #expect(result.status == 0, "\(result.transcript)")
        #expect(
            result.stdout.contains("profile:       Évaluations par compétences (modèle SACoche)"),
            "\(result.transcript)")
        let copied = try Data(contentsOf: elsewhere.appendingPathComponent("hosting/application-profile.yaml"))
        let source = repositoryRoot.appendingPathComponent("Sources/TransfertKit/Resources/school-profile.yaml")
        #expect(copied == (try Data(contentsOf: source)), "the hosting's profile is the built-in one, byte for byte")
        #expect(
            try FileManager.default.destinationOfSymbolicLink(
                atPath: repositoryRoot.appendingPathComponent("Samples/school-profile.yaml").path)
                == "../Sources/TransfertKit/Resources/school-profile.yaml",
            "one source of truth: Samples/ links to the embedded file")
        var isLink = false
        if let type = try FileManager.default.attributesOfItem(
            atPath: elsewhere.appendingPathComponent("hosting/application-profile.yaml").path)[.type]
            as? FileAttributeType
        {
            isLink = type == .typeSymbolicLink
        }
        #expect(!isLink, "a profile given as a link is copied as what it points to")
        // The hosting works: an establishment is created from the built-in profile's schema.
        let sample = try run(
            binary,
            [
                "--hosting", elsewhere.appendingPathComponent("hosting").path, "sample", "--structures", "1",
                "--students", "2",
            ],
            currentDirectory: workspace.url)
        #expect(sample.status == 0, "\(sample.transcript)")
        // A --profile given through Samples/ (a link) is copied as a file too.
        try workspace.initHosting("linked")
        let linked =
            try FileManager.default.attributesOfItem(atPath: workspace.path("linked/application-profile.yaml"))[.type]
            as? FileAttributeType
        #expect(linked == FileAttributeType.typeRegular)
    }

    @Test func zonesAndStructuresWithJSONKeysFromTheRegistry() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["zone", "add", "Académie de Besançon"])
        let added = try workspace.succeed([
            "structure", "add", "--uai", "0250010a", "--denomination", "Collège \"Victor Hugo\" ; site Nord",
            "--localisation", "Besançon", "--zone", "2", "--contact-nom", "Lefèvre", "--contact-prenom", "Agnès",
            "--contact-courriel", "agnes.lefevre@ac-besancon.fr", "--date", "2019-09-02", "--id", "12", "--json",
        ])
        let structure = try #require(try workspace.json(added) as? [String: Any])
        #expect(structure["base_id"] as? Int == 12)
        #expect(structure["uai"] as? String == "0250010A")
        #expect(structure["contact_courriel"] as? String == "agnes.lefevre@ac-besancon.fr")
        #expect(structure["inscription_date"] as? String == "2019-09-02")
        #expect((structure["guid"] as? String)?.count == 36)

        let list = try #require(
            try workspace.json(try workspace.succeed(["structure", "list", "--json"])) as? [[String: Any]])
        #expect(list.count == 1)
        #expect(list.first?["denomination"] as? String == "Collège \"Victor Hugo\" ; site Nord")
        let show = try workspace.succeed(["structure", "show", "12"])
        #expect(show.stdout.contains("https://a.example.org/sacoche/?id=12"))
        #expect(
            try workspace.sqlite("hosting/registry.sqlite", "SELECT localisation FROM structure WHERE base_id = 12")
                == "Besançon")
        #expect(
            try workspace.sqlite(
                "hosting/bases/base_12.sqlite", "SELECT value FROM parameters WHERE name = 'version_base'")
                == "2026-09-01")
    }

    @Test func invalidStructureNamesEveryFieldAndRuleAndExitsNonZero() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        let result = try workspace.transfert([
            "structure", "add", "--uai", "0250010E", "--denomination", "Collège", "--localisation", "Dole",
            "--zone", "4", "--contact-nom", "X", "--contact-prenom", "Y", "--contact-courriel", "pas@adresse",
        ])
        #expect(result.status != 0)
        #expect(
            result.stderr.contains("uai: '0250010E' has the wrong check letter: a UAI with these digits ends with 'A'"))
        #expect(result.stderr.contains("contact_courriel: 'pas@adresse' is not a valid e-mail address"))
        #expect(result.stderr.contains("zone_id: zone 4 does not exist"))
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("hosting/bases/base_1.sqlite")))
    }

    @Test func duplicateUAIAndIDAreRefused() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        let base = [
            "structure", "add", "--uai", "0750001U", "--denomination", "École", "--localisation", "Paris",
            "--contact-nom", "Roux", "--contact-prenom", "Léa", "--contact-courriel", "lea.roux@example.org", "--id",
            "3",
        ]
        try workspace.succeed(base)
        let again = try workspace.transfert(base)
        #expect(again.status != 0)
        #expect(again.stderr.contains("uai: 0750001U is already hosted here (establishment 3)"))
        #expect(again.stderr.contains("base_id: id 3 is already used by another establishment"))

        // With --json, each refused field is a problem with its code and field.
        let json = try workspace.transfert(base + ["--json"])
        let error = try #require(
            (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["error"]
                as? [String: Any],
            "\(json.transcript)")
        #expect(error["code"] as? String == "structure.invalid", "\(error)")
        let problems = try #require(error["problems"] as? [[String: Any]], "\(error)")
        #expect(problems.map { $0["code"] as? String } == ["structure.taken", "structure.taken"], "\(problems)")
        #expect(
            problems.map { ($0["location"] as? [String: Any])?["field"] as? String } == ["uai", "base_id"],
            "\(problems)")
        #expect(
            (problems.first?["message"] as? String)?.hasPrefix("uai: 0750001U is already hosted here") == true,
            "\(problems)")
    }

    @Test func structureEditChangesOnlyWhatIsGivenByTheRulesOfAdd() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["zone", "add", "Académie de Lyon"])
        for (id, uai) in [("1", "0750001U"), ("2", "0250010A")] {
            try workspace.succeed([
                "structure", "add", "--uai", uai, "--denomination", "École \(id)", "--localisation", "Paris",
                "--contact-nom", "Roux", "--contact-prenom", "Léa", "--contact-courriel", "lea.roux@example.org",
            ])
        }
        let row = """
            SELECT guid || '|' || zone_id || '|' || IFNULL(uai, '-') || '|' || denomination || '|' || contact_nom
            FROM structure WHERE base_id = 1
            """
        let before = try workspace.sqlite("hosting/registry.sqlite", row)
        // Another establishment's UAI, an unknown zone and a bad address: each named, nothing written.
        let refused = try workspace.transfert([
            "structure", "edit", "1", "--uai", "0250010A", "--zone", "9", "--contact-courriel", "pas@adresse", "--json",
        ])
        #expect(refused.status == 1, "\(refused.transcript)")
        let error = try #require(
            (try JSONSerialization.jsonObject(with: Data(refused.stdout.utf8)) as? [String: Any])?["error"]
                as? [String: Any], "\(refused.transcript)")
        #expect((error["message"] as? String)?.hasPrefix("the establishment was not changed") == true, "\(error)")
        let problems = try #require(error["problems"] as? [[String: Any]], "\(error)")
        #expect(
            Set(problems.compactMap { ($0["location"] as? [String: Any])?["field"] as? String })
                == ["uai", "zone_id", "contact_courriel"], "\(problems)")
        #expect(try workspace.sqlite("hosting/registry.sqlite", row) == before)
        // Its own UAI is not "already hosted"; only the options given change; the GUID stays.
        try workspace.succeed([
            "structure", "edit", "1", "--uai", "0750001U", "--zone", "2", "--contact-nom=-Martin", "--denomination",
            "Collège « Ampère »",
        ])
        let guid = String(before.split(separator: "|")[0])
        #expect(
            try workspace.sqlite("hosting/registry.sqlite", row) == "\(guid)|2|0750001U|Collège « Ampère »|-Martin")
        try workspace.succeed(["structure", "edit", "1", "--uai", ""])
        #expect(try workspace.sqlite("hosting/registry.sqlite", row) == "\(guid)|2|-|Collège « Ampère »|-Martin")
        let nothing = try workspace.transfert(["structure", "edit", "1"])
        #expect(nothing.status != 0 && nothing.stderr.contains("Give at least one detail to change"))
        let unknown = try workspace.transfert(["structure", "edit", "7", "--denomination", "x"])
        #expect(unknown.status != 0 && unknown.stderr.contains("7"), "\(unknown.transcript)")
        let log = try String(contentsOfFile: workspace.path("hosting/log/transfert.log"), encoding: .utf8)
        #expect(log.contains("\"command\":\"structure edit\""))
    }

    @Test func sampleAndStats() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "2", "--students", "40", "--seed", "5"])
        let stats = try #require(
            try workspace.json(try workspace.succeed(["stats", "--all", "--json"])) as? [String: Any])
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
        for file in [
            "hosting/registry.sqlite", "hosting/transfert.yaml", "hosting/bases/base_1.sqlite",
            "hosting/files/1/logo.png",
        ] {
            let attributes = try FileManager.default.attributesOfItem(atPath: workspace.path(file))
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
            #expect(mode & 0o077 == 0, "\(file) has mode \(String(mode, radix: 8))")
        }
    }
}
