import Foundation
import Testing
import TransfertTestSupport

/// Issue #26, "Choosing what a bundle holds": `export --without/--only` never leaves a dangling reference,
/// `export --anonymise` leaves no original name, e-mail or login anywhere in the bundle's bytes while joins
/// still match, and `inspect` shows it all — checked with sqlite3, the mariadb client and python3.
@Suite("Content selection and anonymised copies, end to end", .serialized)
struct ContentSelectionEndToEndTests {
    /// The CSV and ZIP an export wrote into `folder`.
    func bundle(in folder: String, _ workspace: Workspace) throws -> (csv: String, zip: String) {
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path(folder))
        let zip = try #require(names.first { $0.hasSuffix(".zip") }, "a ZIP in \(folder): \(names)")
        return (workspace.path("\(folder)/\(zip.dropLast(4)).csv"), workspace.path("\(folder)/\(zip)"))
    }

    func sourceWorkspace(students: Int = 30) throws -> Workspace {
        let workspace = try Workspace()
        try workspace.initHosting("source")
        try workspace.succeed(["zone", "add", "Académie de Besançon"], hosting: "source")
        try workspace.succeed(
            ["sample", "--structures", "1", "--students", String(students), "--seed", "11"], hosting: "source")
        return workspace
    }

    /// Inflates every entry of the ZIP and reads the CSV (python3's zipfile), leaves the establishment's own
    /// name and place out (they are the school's, not a person's), and lists each original value found.
    static let searchScript = """
        import json, sys, zipfile
        zip_path, csv_path, originals_path, public_path = sys.argv[1:5]
        z = zipfile.ZipFile(zip_path)
        blobs = [z.read(name) for name in z.namelist()]
        blobs.append(open(csv_path, 'rb').read())
        haystack = b'\\n'.join(blobs)
        for public in json.load(open(public_path)):
            haystack = haystack.replace(public.encode(), b'')
        originals = [o for o in json.load(open(originals_path)) if len(o) >= 3]
        found = sorted({o for o in originals if o.encode() in haystack})
        print(json.dumps({'searched': len(originals), 'found': found, 'bytes': len(haystack)}))
        """

    /// Runs the search; returns how many values were searched and which were found.
    func search(
        _ originals: [String], publicNames: [String], zip: String, csv: String, _ workspace: Workspace
    ) throws -> (searched: Int, found: [String]) {
        let originalsFile = workspace.path("originals-\(UUID().uuidString).json")
        let publicFile = workspace.path("public-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: originals).write(to: URL(fileURLWithPath: originalsFile))
        try JSONSerialization.data(withJSONObject: publicNames).write(to: URL(fileURLWithPath: publicFile))
        let python = try run(
            try #require(which("python3")), ["-c", Self.searchScript, zip, csv, originalsFile, publicFile])
        #expect(python.status == 0, "\(python.transcript)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(python.stdout.utf8)) as? [String: Any])
        return (report["searched"] as? Int ?? 0, report["found"] as? [String] ?? ["<no report>"])
    }

    /// The registry's contact and the school's public names, from `structure list --json`.
    func structures(_ workspace: Workspace, _ hosting: String) throws -> [[String: Any]] {
        try #require(
            try workspace.json(try workspace.succeed(["structure", "list", "--json"], hosting: hosting))
                as? [[String: Any]])
    }

    // MARK: --without, --only

    @Test func withoutUsersImportsWithNoDanglingReferenceAndEveryTableEmptyButPresent() throws {
        let workspace = try sourceWorkspace()
        let source = "source/bases/base_1.sqlite"
        let exported = try workspace.succeed(
            ["export", "--ids", "1", "--without", "users", "--out", workspace.path("without")], hosting: "source")
        #expect(exported.stdout.contains("Left out: users"), "\(exported.stdout)")
        #expect(
            exported.stdout.contains("Left out too: grades — grades.assessment_id points at assessments (evaluations)")
                || exported.stdout.contains("Left out too: grades — grades.student_id points at users (users)"),
            "\(exported.stdout)")
        let files = try bundle(in: "without", workspace)
        let verified = try workspace.succeed(["verify", "--deep", files.csv, files.zip], hosting: "source")
        #expect(verified.stdout.contains("VERIFIED (deep)"), "\(verified.stdout)")
        // Against the source, the tables left out are not "changed since the export"; the others are compared.
        let against = try workspace.succeed(["verify", "--against-source", files.csv, files.zip], hosting: "source")
        #expect(against.stdout.contains("not compared: assessments, grades"), "\(against.stdout)")
        _ = try workspace.sqlite(source, "UPDATE subjects SET name = 'Changé' WHERE id = 1")
        let changed = try workspace.transfert(["verify", "--against-source", files.csv, files.zip], hosting: "source")
        #expect(
            changed.status != 0 && changed.stdout.contains("subjects"), "a carried table still is: \(changed.stdout)")

        // The manifest says it: format 3, the categories carried and left out with their reasons.
        let manifest = try run(
            try #require(which("python3")),
            [
                "-c",
                "import json,sys,zipfile; m=json.loads(zipfile.ZipFile(sys.argv[1]).read('manifest.json')); print(json.dumps([m['format_version'], m['options']['content']['included'], [l['category'] for l in m['options']['content']['left_out']]]))",
                files.zip,
            ])
        #expect(
            manifest.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                == #"[3, ["settings", "logs", "files"], ["users", "groups", "evaluations", "grades", "messages"]]"#,
            "\(manifest.transcript)")

        try workspace.initHosting("target", name: "serveur-b", baseURL: "https://b.example.org/sacoche/")
        try workspace.succeed(["zone", "add", "Académie de Besançon"], hosting: "target")
        try workspace.succeed(["import", files.csv, files.zip], hosting: "target")
        let target = "target/bases/base_1.sqlite"
        #expect(try workspace.sqlite(target, "PRAGMA foreign_key_check") == "", "no row points at a missing one")
        for table in ["users", "images", "memberships", "user_groups", "assessments", "grades", "reports", "messages"] {
            #expect(try workspace.sqlite(target, "SELECT COUNT(*) FROM \(table)") == "0", "\(table) exists, empty")
        }
        for table in ["parameters", "subjects"] {
            let count = try workspace.sqlite(source, "SELECT COUNT(*) FROM \(table)")
            #expect(Int(count) ?? 0 > 0)
            #expect(try workspace.sqlite(target, "SELECT COUNT(*) FROM \(table)") == count, "\(table) carried")
        }
        // Views stay: their tables exist.
        #expect(try workspace.sqlite(target, "SELECT COUNT(*) FROM student_averages") == "0")
        let journal = try workspace.succeed(["journal"], hosting: "target")
        #expect(journal.stdout.contains("left out by the export: users"), "\(journal.stdout)")

        // inspect is the confirmation step.
        let inspected = try workspace.succeed(["inspect", files.csv, files.zip], hosting: "target")
        #expect(
            inspected.stdout.contains("Content            partial: carries settings, logs, files"),
            "\(inspected.stdout)")
        #expect(inspected.stdout.contains("Left out           users (asked)"), "\(inspected.stdout)")
        #expect(inspected.stdout.contains("From this hosting  no"), "\(inspected.stdout)")
        #expect(inspected.stdout.contains("categories (from the bundle)"), "\(inspected.stdout)")
        let json = try #require(
            try workspace.json(try workspace.succeed(["inspect", "--json", files.zip], hosting: "target"))
                as? [String: Any])
        let settings = try #require(json["settings"] as? [String: Any])
        #expect(settings["complete"] as? Bool == false && settings["anonymised"] as? Bool == false)
        let details = try #require(json["details"] as? [String: Any])
        #expect(details["format_version"] as? Int == 3 && details["comes_from_this_hosting"] as? Bool == false)
        let content = try #require((json["content"] as? [[String: Any]])?.first?["categories"] as? [[String: Any]])
        let settingsRows = try #require(content.first { $0["name"] as? String == "settings" })
        #expect(settingsRows["carried"] as? Bool == true && settingsRows["user_data"] as? Bool == false)
        let users = try #require(content.first { $0["name"] as? String == "users" })
        #expect(users["carried"] as? Bool == false && users["rows"] as? Int == 0 && users["user_data"] as? Bool == true)
        #expect(json["manifest"] != nil, "the existing keys stay")
    }

    @Test func aSelectionThatCannotBeMadeIsRefusedAndWritesNothing() throws {
        let workspace = try sourceWorkspace(students: 5)
        let cases: [([String], String)] = [
            (["--without", "nosuch"], "no content category is called nosuch"),
            (["--only", "grades"], "grades cannot be carried without"),
            (["--without", "users", "--format", "sacoche"], "SACoche's format cannot say what a bundle left out"),
            (["--anonymise", "--format", "sacoche"], "SACoche's format cannot say what a bundle left out"),
            (["--without", "users,"], "is not a list of category names"),
        ]
        for (options, message) in cases {
            let out = workspace.path("refused")
            let result = try workspace.transfert(["export", "--ids", "1", "--out", out] + options, hosting: "source")
            #expect(result.status != 0, "\(options): \(result.transcript)")
            #expect(result.stderr.contains(message), "\(options): \(result.transcript)")
            #expect(!FileManager.default.fileExists(atPath: out), "\(options): nothing written")
        }
        let json = try workspace.transfert(
            ["export", "--ids", "1", "--only", "grades", "--json", "--out", workspace.path("refused")],
            hosting: "source")
        let error = try #require((try workspace.json(json) as? [String: Any])?["error"] as? [String: Any])
        #expect(error["code"] as? String == "content.selection", "\(json.transcript)")
        // Nothing stays locked.
        #expect(try workspace.sqlite("source/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")
    }

    @Test func withoutSettingsStillGivesTheRestoredEstablishmentItsSchemaVersion() throws {
        let workspace = try sourceWorkspace(students: 5)
        let exported = try workspace.succeed(
            ["export", "--ids", "1", "--without", "settings", "--json", "--out", workspace.path("nosettings")],
            hosting: "source")
        let result = try #require(try workspace.json(exported) as? [String: Any])
        let leftOutToo = try #require(result["left_out_too"] as? [[String: Any]])
        #expect(leftOutToo.map { $0["category"] as? String } == ["evaluations", "grades"], "\(leftOutToo)")
        #expect((result["content"] as? [String: Any])?["anonymised"] as? Bool == false)
        let files = try bundle(in: "nosettings", workspace)
        try workspace.initHosting("target", name: "serveur-b", baseURL: "https://b.example.org/sacoche/")
        try workspace.succeed(["zone", "add", "Académie de Besançon"], hosting: "target")
        let imported = try workspace.succeed(["import", files.csv, files.zip], hosting: "target")
        #expect(imported.stdout.contains("the schema version row was left out by the export"), "\(imported.stdout)")
        let target = "target/bases/base_1.sqlite"
        #expect(try workspace.sqlite(target, "SELECT value FROM parameters") == "2026-09-01")
        #expect(try workspace.sqlite(target, "SELECT COUNT(*) FROM subjects") == "0")
        #expect(try workspace.sqlite(target, "PRAGMA foreign_key_check") == "")
    }

    @Test func anAnonymisedCopyRefusesATableTheProfileDoesNotDescribe() throws {
        let workspace = try sourceWorkspace(students: 5)
        _ = try workspace.sqlite(
            "source/bases/base_1.sqlite",
            "CREATE TABLE notes_privees (id INTEGER PRIMARY KEY, texte TEXT); INSERT INTO notes_privees VALUES (1, 'Léa Martin est malade');"
        )
        let out = workspace.path("anon")
        let refused = try workspace.transfert(["export", "--ids", "1", "--anonymise", "--out", out], hosting: "source")
        #expect(refused.status != 0, "\(refused.transcript)")
        #expect(refused.stderr.contains("table notes_privees is in no content category"), "\(refused.transcript)")
        #expect(!FileManager.default.fileExists(atPath: out), "nothing written")
        #expect(try workspace.sqlite("source/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")
    }

    @Test func aSACocheBundleIsGroupedByTheHostingsProfileCategories() throws {
        let workspace = try Workspace()
        try workspace.initHosting(
            "sacoche", name: "serveur-sacoche", baseURL: "https://sacoche.example.org/",
            profile: "Samples/sacoche-profile.yaml")
        let fixture = repositoryRoot.appendingPathComponent("Tests/Fixtures/sacoche/three-schools")
        let zip = try #require(
            try FileManager.default.contentsOfDirectory(atPath: fixture.path).first { $0.hasSuffix(".zip") })
        let inspected = try workspace.succeed(
            ["inspect", fixture.appendingPathComponent(zip).path], hosting: "sacoche")
        #expect(inspected.stdout.contains("categories (from the hosting profile)"), "\(inspected.stdout)")
        let json = try #require(
            try workspace.json(
                try workspace.succeed(
                    ["inspect", "--json", fixture.appendingPathComponent(zip).path], hosting: "sacoche"))
                as? [String: Any])
        #expect(json["categories_from"] as? String == "hosting profile")
        #expect((json["details"] as? [String: Any])?["type"] as? String == "sacoche")
    }

    // MARK: --anonymise

    @Test func anAnonymisedCopyHoldsNoOriginalValueWhileJoinsMatchAndImportsOnlyAsACopy() throws {
        let workspace = try sourceWorkspace()
        let source = "source/bases/base_1.sqlite"
        let exported = try workspace.succeed(
            ["export", "--ids", "1", "--anonymise", "--out", workspace.path("anon")], hosting: "source")
        #expect(exported.stdout.contains("Anonymised copy"), "\(exported.stdout)")
        #expect(exported.stdout.contains("Left out too: files — uploads may hold personal data"), "\(exported.stdout)")
        let files = try bundle(in: "anon", workspace)
        #expect(
            try workspace.succeed(["verify", "--deep", files.csv, files.zip], hosting: "source").stdout.contains(
                "VERIFIED (deep)"))
        let against = try workspace.succeed(["verify", "--against-source", files.csv, files.zip], hosting: "source")
        #expect(against.stdout.contains("not compared: images, messages, reports, users"), "\(against.stdout)")

        // Every original last name, first name, e-mail and login, and the contact's.
        var originals: [String] = []
        for column in ["last_name", "first_name", "login", "email"] {
            let values = try workspace.sqlite(
                source, "SELECT DISTINCT \(column) FROM users WHERE \(column) IS NOT NULL")
            originals += values.split(separator: "\n").map(String.init)
        }
        let registry = try #require(try structures(workspace, "source").first)
        for key in ["contact_nom", "contact_prenom", "contact_courriel"] {
            originals.append(try #require(registry[key] as? String))
        }
        #expect(originals.count > 100)
        let schoolNames = ["denomination", "localisation"].compactMap { registry[$0] as? String }
        let (searched, found) = try search(
            originals, publicNames: schoolNames, zip: files.zip, csv: files.csv, workspace)
        #expect(searched > 100)
        #expect(found.isEmpty, "original values in the anonymised bundle: \(found)")
        // The search can fail: the ordinary bundle holds them all.
        try workspace.succeed(["export", "--ids", "1", "--out", workspace.path("plain")], hosting: "source")
        let plain = try bundle(in: "plain", workspace)
        let control = try search(originals, publicNames: schoolNames, zip: plain.zip, csv: plain.csv, workspace)
        let missing = Set(originals.filter { $0.count >= 3 }).subtracting(control.found)
        #expect(missing.isEmpty, "the ordinary bundle holds every original value, but not \(missing)")

        // Refused as the establishment itself, imported as a copy.
        try workspace.initHosting("copy", name: "serveur-c", baseURL: "https://c.example.org/sacoche/")
        try workspace.succeed(["zone", "add", "Académie de Besançon"], hosting: "copy")
        let refused = try workspace.transfert(["import", files.csv, files.zip], hosting: "copy")
        #expect(refused.status != 0, "\(refused.transcript)")
        #expect(
            refused.stderr.contains("anonymised copy") && refused.stderr.contains("--as-copy"), "\(refused.transcript)")
        #expect(try structures(workspace, "copy").isEmpty, "nothing imported")
        try workspace.succeed(
            ["import", "--as-copy", "--result", workspace.path("copy.result.csv"), files.csv, files.zip],
            hosting: "copy")
        let copy = "copy/bases/base_1.sqlite"

        // Joins match: the same memberships and grades per user as the source.
        for sql in [
            "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id",
            "SELECT COUNT(*) FROM grades g JOIN users u ON u.id = g.student_id",
            "SELECT COUNT(*) FROM users",
        ] {
            #expect(try workspace.sqlite(copy, sql) == workspace.sqlite(source, sql), "\(sql)")
        }
        #expect(
            try workspace.sqlite(copy, "SELECT COUNT(*) - COUNT(DISTINCT login) FROM users") == "0", "unique logins")
        #expect(
            try workspace.sqlite(copy, "SELECT COUNT(*) FROM users WHERE email NOT LIKE '%@anonyme.invalid'") == "0")
        #expect(try workspace.sqlite(copy, "PRAGMA foreign_key_check") == "")
        // The same name gives the same pseudonym (a parent and a child share a last name).
        func lastNames(_ database: String) throws -> [String: String] {
            Dictionary(
                uniqueKeysWithValues: try workspace.sqlite(database, "SELECT id, last_name FROM users").split(
                    separator: "\n"
                ).map {
                    let parts = $0.split(separator: "|", maxSplits: 1).map(String.init)
                    return (parts[0], parts.count > 1 ? parts[1] : "")
                })
        }
        let before = try lastNames(source)
        let after = try lastNames(copy)
        let groups = Dictionary(grouping: before.keys, by: { before[$0]! }).values.filter { $0.count > 1 }
        #expect(!groups.isEmpty, "the sample has families")
        for ids in groups { #expect(Set(ids.map { after[$0] ?? "" }).count == 1, "same name, same pseudonym: \(ids)") }

        // The copy gets no letter.
        let letters = try workspace.transfert(["letters", "--ids", "1"], hosting: "copy")
        #expect(letters.status != 0, "\(letters.transcript)")
        #expect(letters.stderr.contains("imported from an anonymised copy"), "\(letters.transcript)")
        let fromResult = try workspace.transfert(
            ["letters", "--result", workspace.path("copy.result.csv")], hosting: "copy")
        #expect(fromResult.status != 0 && fromResult.stderr.contains("anonymised copy"), "\(fromResult.transcript)")
        // Nor a newsletter to every establishment: the copy is left out, and said so.
        try "Bonjour".write(toFile: workspace.path("newsletter.txt"), atomically: true, encoding: .utf8)
        let newsletter = try workspace.transfert(
            ["newsletter", "--all", "--subject", "Rentrée", "--body-file", workspace.path("newsletter.txt")],
            hosting: "copy")
        #expect(newsletter.status != 0, "\(newsletter.transcript)")
        #expect(newsletter.stderr.contains("imported from an anonymised copy"), "\(newsletter.transcript)")

        // inspect says so, in text and JSON.
        let inspected = try workspace.succeed(["inspect", files.zip], hosting: "source")
        #expect(inspected.stdout.contains("Anonymised         yes"), "\(inspected.stdout)")
        #expect(inspected.stdout.contains("From this hosting  yes"), "\(inspected.stdout)")
        let json = try #require(
            try workspace.json(try workspace.succeed(["inspect", "--json", files.zip], hosting: "source"))
                as? [String: Any])
        #expect((json["settings"] as? [String: Any])?["anonymised"] as? Bool == true)
        #expect((json["settings"] as? [String: Any])?["files_included"] as? Bool == false)
    }
}
