import Foundation
import Testing
import TransfertTestSupport

/// Issue #14: genuine SACoche bundles, both ways. The four fixtures of `Tests/Fixtures/sacoche` (written
/// to SACoche's rules, with an `expected.json` each) are inspected, verified, imported into SQLite and
/// MariaDB hostings with the SACoche profile, and written back with `export --format sacoche`. What is
/// in the databases and in the files written is checked by `Tests/Tools/sacoche_reader.py`, a reader
/// written from the format's description alone, and by `sqlite3`, `mariadb` and `unzip -t`.
@Suite("SACoche bundles", .serialized)
struct SACocheTests {
    static let profile = "Samples/sacoche-profile.yaml"

    /// A fixture copied into the workspace (imports write their result files beside the bundle).
    struct Fixture {
        let csv: String
        let zip: String
        let expected: [String: Any]

        /// Inner ZIP name by `Id_Export`.
        var innerZips: [Int: String] {
            var result: [Int: String] = [:]
            for structure in expected["structures"] as? [[String: Any]] ?? [] {
                let fields = structure["csv_fields"] as? [String: Any]
                if let id = fields?["Id_Export"] as? Int, let inner = structure["inner_zip"] as? String {
                    result[id] = inner
                }
            }
            return result
        }
    }

    func fixture(_ name: String, in workspace: Workspace) throws -> Fixture {
        let source = repositoryRoot.appendingPathComponent("Tests/Fixtures/sacoche/\(name)")
        let target = URL(fileURLWithPath: workspace.path("fixture-\(name)"))
        try FileManager.default.copyItem(at: source, to: target)
        let names = try FileManager.default.contentsOfDirectory(atPath: target.path)
        let expected =
            try JSONSerialization.jsonObject(with: Data(contentsOf: target.appendingPathComponent("expected.json")))
            as? [String: Any]
        return Fixture(
            csv: target.appendingPathComponent(try #require(names.first { $0.hasSuffix(".csv") })).path,
            zip: target.appendingPathComponent(try #require(names.first { $0.hasSuffix(".zip") })).path,
            expected: try #require(expected))
    }

    /// Runs the independent reader; its output explains a failure.
    @discardableResult
    func reader(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let python = try #require(which("python3"), "python3 must be installed")
        let result = try run(
            python, [repositoryRoot.appendingPathComponent("Tests/Tools/sacoche_reader.py").path] + arguments)
        #expect(
            result.status == 0, "sacoche_reader.py \(arguments.first ?? ""):\n\(result.transcript)",
            sourceLocation: sourceLocation)
        return result
    }

    func sacocheHosting(_ workspace: Workspace, _ name: String = "hosting") throws {
        try workspace.initHosting(
            name, name: "serveur-sacoche", baseURL: "https://sacoche.example.org/", profile: Self.profile)
        try workspace.succeed(["zone", "add", "Zone 2"], hosting: name)  // the chunked fixture uses zone 2
    }

    /// Imports and returns the new id of each `Id_Export`.
    func importFixture(_ fixture: Fixture, into workspace: Workspace, hosting: String = "hosting") throws -> [Int: Int]
    {
        let result = try workspace.succeed(["import", "--json", fixture.csv, fixture.zip], hosting: hosting)
        let report = try #require(try workspace.json(result) as? [String: Any])
        var ids: [Int: Int] = [:]
        for e in report["establishments"] as? [[String: Any]] ?? [] {
            #expect(e["outcome"] as? String == "imported", "\(e)")
            if let old = e["id_export"] as? Int, let new = e["new_id"] as? Int { ids[old] = new }
        }
        return ids
    }

    // MARK: Recognise, read, verify

    @Test("inspect and verify --deep give every fixture's tables and row counts, without a hosting")
    func inspectAndVerifyMatchTheFixtures() throws {
        let workspace = try Workspace()
        for name in ["three-schools", "chunked", "too-new", "semicolon-in-name"] {
            let f = try fixture(name, in: workspace)
            let inspected = try #require(
                try workspace.json(try workspace.succeed(["inspect", "--json", f.csv, f.zip], hosting: "none"))
                    as? [String: Any])
            #expect(inspected["format"] as? String == "sacoche")
            let establishments = (inspected["manifest"] as? [String: Any])?["establishments"] as? [[String: Any]] ?? []
            let verify = try workspace.transfert(["verify", "--json", "--deep", f.csv, f.zip], hosting: "none")
            let report = try #require(try workspace.json(verify) as? [String: Any])
            let verified = report["establishments"] as? [[String: Any]] ?? []
            for structure in f.expected["structures"] as? [[String: Any]] ?? [] {
                let inner = try #require(structure["inner_zip"] as? String)
                let wanted = try #require(structure["tables"] as? [String: Int])
                let found = try #require(
                    establishments.first { $0["nom_fichier"] as? String == inner }, "\(name): \(inner) not inspected")
                let tables = Dictionary(
                    uniqueKeysWithValues: (found["tables"] as? [[String: Any]] ?? []).map {
                        ($0["table"] as! String, $0["rows"] as! Int)
                    })
                #expect(tables == wanted, "\(name) \(inner)")
                #expect(found["schema_version"] as? String == f.expected["version_base"] as? String)
                let checked = try #require(verified.first { $0["nom_fichier"] as? String == inner })
                if inner == "2016-12-08" { continue }  // refused before its restore: the CSV line is shifted
                let digests = checked["digests"] as? [[String: Any]] ?? []
                #expect(
                    Dictionary(uniqueKeysWithValues: digests.map { ($0["table"] as! String, $0["rows"] as! Int) })
                        == wanted, "\(name) \(inner): deep restore")
                #expect(digests.allSatisfy { ($0["sha256"] as? String)?.count == 64 })
            }
            if name == "semicolon-in-name" {
                #expect(verify.status != 0)
                let problems =
                    (verified.flatMap {
                        ($0["problems"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
                    }).joined(separator: "\n")
                #expect(
                    problems.contains(
                        "CSV line 3 has 12 fields where the header has 11: a ';' written raw inside a value"),
                    "\(problems)")
                #expect(problems.contains("Nom_fichier 2016-12-08 is not a SACoche base's ZIP name"), "\(problems)")
            } else {
                #expect(verify.status == 0, "\(name):\n\(verify.transcript)")
                #expect(report["verified"] as? Bool == true)
            }
        }
    }

    @Test("verify --digests records the digests; a later verify or import --check-digests proves the files unchanged")
    func digestsFileProvesTheBundleUnchanged() throws {
        let workspace = try Workspace()
        let f = try fixture("three-schools", in: workspace)
        let digests = workspace.path("three-schools.digests.json")
        let printed = try workspace.succeed(["verify", "--digests", digests, f.csv, f.zip], hosting: "none")
        #expect(printed.stdout.contains("content digests (SHA-256 of the values, per table)"))
        let attributes = try FileManager.default.attributesOfItem(atPath: digests)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        try workspace.succeed(["verify", "--check-digests", digests, f.csv, f.zip], hosting: "none")

        // A digest that no longer matches: the import refuses that establishment, and names the table.
        var file = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: digests))) as? [String: Any])
        var establishments = try #require(file["establishments"] as? [String: [[String: Any]]])
        let inner = try #require(f.innerZips[4])
        var tables = try #require(establishments[inner])
        let index = try #require(tables.firstIndex { $0["table"] as? String == "sacoche_user" })
        tables[index]["sha256"] = String(repeating: "0", count: 64)
        establishments[inner] = tables
        file["establishments"] = establishments
        let altered = workspace.path("altered.digests.json")
        try JSONSerialization.data(withJSONObject: file).write(to: URL(fileURLWithPath: altered))
        let refused = try workspace.transfert(["verify", "--check-digests", altered, f.csv, f.zip], hosting: "none")
        #expect(refused.status != 0)
        #expect(
            refused.stdout.contains("table sacoche_user differs between the restored copy and the bundle"),
            "\(refused.transcript)")

        try sacocheHosting(workspace)
        let imported = try workspace.transfert(["import", "--json", "--check-digests", altered, f.csv, f.zip])
        let report = try #require(try workspace.json(imported) as? [String: Any])
        let outcomes = report["establishments"] as? [[String: Any]] ?? []
        #expect(outcomes.filter { $0["outcome"] as? String == "imported" }.count == 2)
        let failed = try #require(outcomes.first { $0["outcome"] as? String == "failed" })
        #expect((failed["reason"] as? String ?? "").contains("table sacoche_user differs"), "\(failed)")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure") == "2")
    }

    @Test("a hostile inner ZIP or a statement SACoche never writes is refused with its file, line and column")
    func hostileContentIsRefusedWithItsPlace() throws {
        let workspace = try Workspace()
        let python = try #require(which("python3"))
        let make = """
            import sys, zipfile, io
            out, kind = sys.argv[1], sys.argv[2]
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, 'w') as z:
                create = "DROP TABLE IF EXISTS sacoche_parametre;\\r\\nCREATE TABLE sacoche_parametre (\\n  parametre_nom varchar(50) NOT NULL DEFAULT '',\\n  parametre_valeur varchar(255) NOT NULL DEFAULT '',\\n  PRIMARY KEY (parametre_nom)\\n) ENGINE=MyISAM DEFAULT CHARSET=utf8;\\r\\n"
                rows = 'INSERT INTO sacoche_parametre VALUES \\r\\n("version_base","2017-09-19");\\r\\n'
                if kind == 'traversal':
                    z.writestr('../../evil.sql', create)
                elif kind == 'statement':
                    z.writestr('dump_sacoche_parametre_0000.sql', create + rows + 'DROP DATABASE sac_base_1;\\r\\n')
                elif kind == 'values':
                    z.writestr('dump_sacoche_parametre_0000.sql', create + 'INSERT INTO sacoche_parametre VALUES \\r\\n("version_base");\\r\\n')
            with zipfile.ZipFile(out + '.zip', 'w') as z:
                z.writestr('dump_SACoche_7_2017-10-02_14-05-37_1.zip', inner.getvalue())
            header = 'Id_Export;Id_Import;Id_Zone;Localisation;Dénomination;UAI;Contact_Nom;Contact_Prénom;Contact_Courriel;Date_Inscription;Nom_fichier\\r\\n'
            line = '7;;1;Lyon;École test;;DUPONT;Jean;jean.dupont@example.org;2012-09-13;dump_SACoche_7_2017-10-02_14-05-37_1.zip\\r\\n'
            open(out + '.csv', 'w', encoding='utf-8', newline='').write(header + line)
            """
        let cases: [(String, String)] = [
            ("traversal", "climbs out of its directory with '..'"),
            ("statement", "dump_sacoche_parametre_0000.sql line 9, column 1: only DROP TABLE IF EXISTS is allowed"),
            (
                "values",
                "dump_sacoche_parametre_0000.sql line 8, column 1: row 1 of INSERT INTO sacoche_parametre has 1 values where the table has 2 columns"
            ),
        ]
        try sacocheHosting(workspace)
        for (kind, message) in cases {
            let base = workspace.path("hostile-\(kind)")
            #expect(try run(python, ["-c", make, base, kind]).status == 0)
            let verify = try workspace.transfert(["verify", base + ".csv", base + ".zip"], hosting: "none")
            #expect(verify.status != 0)
            #expect(verify.stdout.contains(message), "\(kind):\n\(verify.transcript)")
            let imported = try workspace.transfert(["import", base + ".csv", base + ".zip"])
            #expect(imported.status != 0)
            #expect(imported.stderr.contains(message), "\(kind):\n\(imported.transcript)")
        }
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("evil.sql")))
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: workspace.path("hosting/bases"))) ?? []).isEmpty)
    }

    // MARK: Import

    @Test("too-new is refused naming both versions; nothing is imported")
    func tooNewIsRefused() throws {
        let workspace = try Workspace()
        try sacocheHosting(workspace)
        let f = try fixture("too-new", in: workspace)
        let refused = try workspace.transfert(["import", f.csv, f.zip])
        #expect(refused.status != 0)
        #expect(
            refused.stderr.contains("has schema version 2099-01-01, newer than this server's 2017-09-19"),
            "\(refused.transcript)")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0")
        let semicolon = try fixture("semicolon-in-name", in: workspace)
        let shifted = try workspace.transfert(["import", semicolon.csv, semicolon.zip])
        #expect(shifted.status != 0)
        #expect(shifted.stderr.contains("line 3: CSV line 3 has 12 fields"), "\(shifted.transcript)")
        // Into a hosting of another application: refused, saying which profile it needs.
        try workspace.initHosting("school")
        let three = try fixture("three-schools", in: workspace)
        let elsewhere = try workspace.transfert(["import", three.csv, three.zip], hosting: "school")
        #expect(elsewhere.status != 0)
        #expect(
            elsewhere.stderr.contains("this is a SACoche bundle")
                && elsewhere.stderr.contains("Samples/sacoche-profile.yaml"), "\(elsewhere.transcript)")
    }

    @Test(
        "three-schools and chunked import into SQLite: rows equal the dumps, the schema is what they declare, a round trip gives the same bundle"
    )
    func importIntoSQLiteAndWriteBack() throws {
        let workspace = try Workspace()
        try sacocheHosting(workspace)
        var exported: [Int] = []
        var fixtures: [String: Fixture] = [:]
        for name in ["three-schools", "chunked"] {
            let f = try fixture(name, in: workspace)
            fixtures[name] = f
            let ids = try importFixture(f, into: workspace)
            #expect(ids.count == f.innerZips.count)
            for (old, new) in ids {
                let inner = try #require(f.innerZips[old])
                let database = workspace.path("hosting/bases/base_\(new).sqlite")
                try reader(["compare-sqlite", f.csv, f.zip, inner, database])
                try reader(["compare-schema-sqlite", f.csv, f.zip, inner, database])
                exported.append(new)
            }
        }
        // Accents and special characters, as SQLite holds them.
        #expect(
            try workspace.sqlite("hosting/registry.sqlite", "SELECT denomination FROM structure ORDER BY base_id")
                .contains("Collège \"Les Tilleuls\""))
        let ddl = try workspace.sqlite("hosting/bases/base_1.sqlite", ".schema sacoche_user")
        #expect(
            ddl.contains(#""user_genre" TEXT NOT NULL DEFAULT 'I' CHECK ("user_genre" IN ('', 'I', 'M', 'F'))"#),
            "\(ddl)")
        #expect(ddl.contains(#"CHECK ("user_id" BETWEEN 0 AND 16777215)"#))
        #expect(ddl.contains(#"CREATE UNIQUE INDEX "sacoche_user.user_login" ON "sacoche_user" ("user_login")"#))
        #expect(try workspace.sqlite("hosting/bases/base_1.sqlite", "PRAGMA integrity_check") == "ok")
        // The result says what SQLite keeps only in part.
        let stats = try workspace.succeed(["stats", "--json"])
        #expect(stats.stdout.contains("\"grades\""))

        // Round trip: written back in SACoche's format, read back by the independent reader.
        let out = workspace.path("sacoche-out")
        let threeSchools = try #require(fixtures["three-schools"])
        try workspace.succeed([
            "export", "--format", "sacoche", "--packet-rows", "5000", "--ids", "1,2,3", "--out", out + "-3",
        ])
        let written3 = try bundle(in: out + "-3")
        try reader(["compare-bundles", threeSchools.csv, threeSchools.zip, written3.csv, written3.zip])
        try checkSACocheFiles(written3, workspace: workspace)
        // Same packets as the fixture: every SQL file is the same, byte for byte.
        try expectSameSQLFiles(original: threeSchools.zip, written: written3.zip, workspace: workspace)

        let chunked = try #require(fixtures["chunked"])
        try workspace.succeed([
            "export", "--format", "sacoche", "--packet-rows", "1000", "--ids", "4,5", "--out", out + "-c",
        ])
        let writtenC = try bundle(in: out + "-c")
        try reader(["compare-bundles", chunked.csv, chunked.zip, writtenC.csv, writtenC.zip])
        try expectSameSQLFiles(original: chunked.zip, written: writtenC.zip, workspace: workspace)

        // And the bundle written here imports again, into another hosting, to the same rows.
        try sacocheHosting(workspace, "second")
        let again = try workspace.succeed(["import", writtenC.csv, writtenC.zip], hosting: "second")
        #expect(again.stdout.contains("2 imported"), "\(again.transcript)")
    }

    @Test(
        "three-schools and chunked import into MariaDB: native MySQL tables, rows equal the dumps, written back the same"
    )
    func importIntoMariaDBAndWriteBack() throws {
        let server = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        let account = try makeOperator(workspace, server: server)
        let prefix = "sac\(UUID().uuidString.prefix(4).lowercased())_"
        let created = try initMariaDB(
            workspace, "hosting", server: server, account: account, registry: "\(prefix)registry", prefix: prefix,
            profile: Self.profile)
        #expect(created.status == 0, "\(created.transcript)")
        try workspace.succeed(["zone", "add", "Zone 2"])
        var fixtures: [String: Fixture] = [:]
        for name in ["three-schools", "chunked"] {
            let f = try fixture(name, in: workspace)
            fixtures[name] = f
            for (old, new) in try importFixture(f, into: workspace) {
                let inner = try #require(f.innerZips[old])
                let database = "\(prefix)base_\(new)"
                let python = try #require(which("python3"))
                let tool = repositoryRoot.appendingPathComponent("Tests/Tools/sacoche_reader.py").path
                for command in ["compare-mariadb", "compare-schema-mariadb"] {
                    let compared = try run(python, [tool, command, f.csv, f.zip, inner, database, server.socket])
                    #expect(compared.status == 0, "\(command) \(name) \(inner):\n\(compared.transcript)")
                }
            }
        }
        let create = try server.client("SHOW CREATE TABLE sacoche_user", database: "\(prefix)base_1")
        #expect(create.output.contains("`user_genre` enum('I','M','F') NOT NULL DEFAULT 'I'"), "\(create.output)")
        #expect(create.output.contains("ENGINE=MyISAM AUTO_INCREMENT=46"), "\(create.output)")

        let threeSchools = try #require(fixtures["three-schools"])
        let out = workspace.path("mariadb-out")
        try workspace.succeed(["export", "--format", "sacoche", "--ids", "1,2,3", "--out", out])
        let written = try bundle(in: out)
        try reader(["compare-bundles", threeSchools.csv, threeSchools.zip, written.csv, written.zip])
        try checkSACocheFiles(written, workspace: workspace)
    }

    @Test("an import killed while a base restores is completed by the next run, equal to the dumps, nothing left over")
    func aKilledImportResumes() throws {
        let workspace = try Workspace()
        try sacocheHosting(workspace)
        let python = try #require(which("python3"))
        let prefix = workspace.path("grown")
        // The last base grown to 150,000 grades, so that its restore takes long enough to be killed.
        let made = try run(
            python,
            [repositoryRoot.appendingPathComponent("Tests/Tools/make_sacoche_bundle.py").path, prefix, "150000"])
        #expect(made.status == 0, "\(made.transcript)")
        var killed = false
        for delay in [0.3, 0.1, 0.0] where !killed {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: transfertBinary)
            process.arguments = ["--hosting", workspace.path("hosting"), "import", prefix + ".csv", prefix + ".zip"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning, Date() < deadline,
                !FileManager.default.fileExists(atPath: workspace.path("hosting/bases/base_3.sqlite"))
            {
                usleep(5_000)
            }
            usleep(useconds_t(delay * 1_000_000))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed = true
            }
            process.waitUntilExit()
            if !killed {  // too fast to be killed: start again from an empty hosting
                try FileManager.default.removeItem(atPath: workspace.path("hosting"))
                try sacocheHosting(workspace)
            }
        }
        #expect(killed, "the import always finished before it could be killed")
        let rerun = try workspace.succeed(["import", prefix + ".csv", prefix + ".zip"])
        #expect(rerun.stdout.contains("Resuming an unfinished import of this bundle"), "\(rerun.transcript)")
        #expect(
            try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure WHERE status = 'active'")
                == "3")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path("hosting/bases")).filter {
                $0.hasSuffix(".sqlite")
            }.sorted()
                == ["base_1.sqlite", "base_2.sqlite", "base_3.sqlite"])
        let grownBase = "dump_SACoche_16_2017-10-02_14-05-37_1918102982.zip"
        let id = try workspace.sqlite(
            "hosting/registry.sqlite", "SELECT base_id FROM structure WHERE denomination = 'Collège \"Les Tilleuls\"'")
        try reader([
            "compare-sqlite", prefix + ".csv", prefix + ".zip", grownBase,
            workspace.path("hosting/bases/base_\(id).sqlite"),
        ])
    }

    // MARK: Write

    @Test("a ';' in a CSV field is refused before anything is written, unless --replace-semicolons says what to write")
    func semicolonsAreRefusedOrReplaced() throws {
        let workspace = try Workspace()
        try sacocheHosting(workspace)
        try workspace.succeed([
            "structure", "add", "--zone", "1", "--localisation", "Lyon", "--denomination",
            "Collège Jean Moulin; site de Bron",
            "--contact-nom", "Durand", "--contact-prenom", "Zoé", "--contact-courriel", "zoe.durand@example.org",
        ])
        let out = workspace.path("out")
        let refused = try workspace.transfert(["export", "--format", "sacoche", "--ids", "1", "--out", out])
        #expect(refused.status != 0)
        #expect(
            refused.stderr.contains("establishment 1 (")
                && refused.stderr.contains("Dénomination 'Collège Jean Moulin; site de Bron' holds a ';'"),
            "\(refused.transcript)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: out))?.isEmpty ?? true)
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")

        try workspace.succeed([
            "export", "--format", "sacoche", "--ids", "1", "--replace-semicolons", ",", "--out", out,
        ])
        let written = try bundle(in: out)
        let csv = try String(contentsOfFile: written.csv, encoding: .utf8)
        #expect(csv.contains(";Collège Jean Moulin, site de Bron;"))
        // A fresh establishment (the profile's schema) is a SACoche base the reader reads.
        let read = try reader(["read", written.csv, written.zip])
        #expect(read.stdout.contains("\"version_base\""))
    }

    // MARK: Helpers

    func bundle(in directory: String) throws -> (csv: String, zip: String) {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        return (
            directory + "/" + (try #require(names.first { $0.hasSuffix(".csv") })),
            directory + "/" + (try #require(names.first { $0.hasSuffix(".zip") }))
        )
    }

    /// What SACoche's importer and `unzip` expect of the files themselves.
    func checkSACocheFiles(_ bundle: (csv: String, zip: String), workspace: Workspace) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: bundle.csv))
        #expect(!bytes.starts(with: [0xEF, 0xBB, 0xBF]), "no BOM")
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(
            text.hasPrefix(
                "Id_Export;Id_Import;Id_Zone;Localisation;Dénomination;UAI;Contact_Nom;Contact_Prénom;Contact_Courriel;Date_Inscription;Nom_fichier\r\n"
            ))
        #expect(text.hasSuffix("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let name = URL(fileURLWithPath: bundle.zip).lastPathComponent
        #expect(
            name.range(of: #"^bases_dump_\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d_\d+\.zip$"#, options: .regularExpression)
                != nil, "\(name)")
        let unzip = try #require(which("unzip"))
        #expect(try run(unzip, ["-t", bundle.zip]).status == 0)
        let listing = try run(unzip, ["-Z1", bundle.zip]).stdout.split(separator: "\n").map(String.init)
        #expect(listing == listing.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        #expect(
            listing.allSatisfy {
                $0.range(
                    of: #"^dump_SACoche_\d+_\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d_\d+\.zip$"#, options: .regularExpression)
                    != nil
            }, "\(listing)")
    }

    /// Every SQL file of each base of `original` has a twin, byte for byte, in the base of `written`
    /// with the same Dénomination.
    func expectSameSQLFiles(original: String, written: String, workspace: Workspace) throws {
        let python = try #require(which("python3"))
        let script = """
            import sys, zipfile, io
            def bases(path, csv):
                names = {}
                for line in open(csv, encoding='utf-8', newline='').read().split('\\r\\n')[1:-1]:
                    f = line.split(';')
                    names[f[10]] = f[4]
                out = {}
                with zipfile.ZipFile(path) as z:
                    for n in z.namelist():
                        with zipfile.ZipFile(io.BytesIO(z.read(n))) as inner:
                            out[names[n]] = {m: inner.read(m) for m in inner.namelist()}
                return out
            a = bases(sys.argv[1], sys.argv[1][:-4] + '.csv')
            b = bases(sys.argv[2], sys.argv[2][:-4] + '.csv')
            bad = [(d, f) for d in a for f in a[d] if b.get(d, {}).get(f) != a[d][f]]
            bad += [(d, f) for d in b for f in b[d] if f not in a.get(d, {})]
            print(bad)
            sys.exit(1 if bad else 0)
            """
        let compared = try run(python, ["-c", script, original, written])
        #expect(compared.status == 0, "SQL files differ: \(compared.transcript)")
    }
}
