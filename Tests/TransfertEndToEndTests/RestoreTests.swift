import Foundation
import Testing

/// Issue #26, "Restoring": `transfert restore CSV ZIP --into ID --replace|--merge` on SQLite hostings,
/// checked with sqlite3 and Python's zipfile/hashlib, not with Transfert's own reading.
@Suite("Restore into an existing establishment (SQLite)")
struct RestoreTests {
    /// A hosting with two sample establishments, establishment 1 exported into `out/`.
    struct Fixture {
        let workspace: Workspace
        let csv: String
        let zip: String

        init(students: Int = 8) throws {
            workspace = try Workspace()
            try workspace.initHosting()
            try workspace.succeed(["sample", "--structures", "2", "--students", String(students), "--seed", "3"])
            try workspace.succeed(["export", "--ids", "1", "--out", workspace.path("out")])
            let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path("out"))
            csv = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".csv") })))
            zip = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".zip") })))
        }

        func restore(_ arguments: [String]) throws -> ProcessResult {
            try workspace.transfert(["restore", csv, zip] + arguments)
        }

        /// Everything sqlite3 sees of a database, as text: schema and rows (`.dump`).
        func dump(_ id: Int) throws -> String {
            try workspace.sqlite("hosting/bases/base_\(id).sqlite", ".dump")
        }

        /// The registry row of `id` as sqlite3 reads it.
        func registryRow(_ id: Int) throws -> String {
            try workspace.sqlite(
                "hosting/registry.sqlite",
                "SELECT base_id, guid, zone_id, uai, localisation, denomination, contact_nom, contact_prenom, contact_courriel, status FROM structure WHERE base_id = \(id)"
            )
        }

        /// SHA-256 of every uploaded file of establishment `id`, by relative path (Python's hashlib).
        func fileDigests(_ id: Int) throws -> String {
            let python = try #require(which("python3"))
            let script = """
                import hashlib, os, sys
                root = sys.argv[1]
                for d, _, files in sorted(os.walk(root)):
                    for f in sorted(files):
                        p = os.path.join(d, f)
                        print(os.path.relpath(p, root), hashlib.sha256(open(p, 'rb').read()).hexdigest())
                """
            return try run(python, ["-c", script, workspace.path("hosting/files/\(id)")]).stdout
        }
    }

    @Test func replaceKeepsTheRegistryRowAndRestoresExactlyTheBundlesContent() throws {
        let f = try Fixture()
        let before = try f.registryRow(1)
        // The establishment changes after its export: rows removed, a name changed, a file added.
        _ = try f.workspace.sqlite(
            "hosting/bases/base_1.sqlite",
            "DELETE FROM grades WHERE id % 2 = 0; UPDATE users SET last_name = 'Changé' WHERE id = 3")
        try FileManager.default.createDirectory(
            atPath: f.workspace.path("hosting/files/1"), withIntermediateDirectories: true)
        try "après l'export".write(
            toFile: f.workspace.path("hosting/files/1/nouveau.txt"), atomically: true, encoding: .utf8)
        let changed = try f.dump(1)

        let result = try f.restore(["--into", "1", "--replace", "--yes", "--json"])
        try #require(result.status == 0, "\(result.transcript)")
        let report = try #require(try f.workspace.json(result) as? [String: Any])

        #expect(try f.registryRow(1) == before, "id, GUID, zone, name, place, contact and status kept")
        // Every table digest equal to the manifest's (`verify --against-source` reads the hosting).
        let verified = try f.workspace.succeed(["verify", "--against-source", f.csv, f.zip])
        #expect(verified.stdout.contains("VERIFIED"), "\(verified.stdout)")
        #expect(
            try f.workspace.sqlite("hosting/bases/base_1.sqlite", "SELECT last_name FROM users WHERE id = 3")
                != "Changé")
        #expect(try f.workspace.sqlite("hosting/bases/base_1.sqlite", "PRAGMA foreign_key_check") == "")
        #expect(try f.dump(1) != changed)
        #expect(!FileManager.default.fileExists(atPath: f.workspace.path("hosting/files/1/nouveau.txt")))
        // Nothing of the staging is left beside the live database.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: f.workspace.path("hosting/bases")).sorted() == [
                "base_1.sqlite", "base_2.sqlite",
            ])

        // The safety backup is in manual/, named like Moodle's, holds the changed establishment and imports.
        let backup = try #require(report["safety_backup"] as? String)
        #expect(backup.contains("/backups/manual/sauvegarde-serveur_a-structure-1-"), "\(backup)")
        try f.workspace.initHosting("other", name: "autre", baseURL: "https://c.example.org/sacoche/")
        let imported = try f.workspace.succeed(
            ["import", "--as-copy", backup.replacingOccurrences(of: ".zip", with: ".csv"), backup], hosting: "other")
        #expect(imported.stdout.contains("1 imported"), "\(imported.stdout)")
        #expect(
            try f.workspace.sqlite("other/bases/base_1.sqlite", "SELECT last_name FROM users WHERE id = 3") == "Changé")

        // The checks compare the bundle's counts with the establishment's, and the journal says what happened.
        let checks = try #require(report["checks"] as? [[String: Any]])
        #expect(
            checks.map { $0["key"] as? String } == ["users_per_profile", "members_per_group", "grades_per_evaluation"])
        for check in checks {
            for line in try #require(check["lines"] as? [[String: Any]]) {
                #expect(line["bundle"] as? Int == line["after"] as? Int, "\(line)")
            }
        }
        let journal = try f.workspace.sqlite(
            "hosting/registry.sqlite",
            "SELECT event, details FROM transfer_journal WHERE base_id = 1 ORDER BY id DESC LIMIT 1")
        #expect(journal.hasPrefix("restored|restored (replace) from bundle "), "\(journal)")
    }

    @Test func aBundleThatFailsLateLeavesTheEstablishmentExactlyAsItWas() throws {
        let f = try Fixture()
        _ = try f.workspace.sqlite("hosting/bases/base_1.sqlite", "DELETE FROM grades WHERE id % 3 = 0")
        let dump = try f.dump(1)
        let files = try f.fileDigests(1)
        let registry = try f.registryRow(1)
        // One letter's case changed in the dump's chunk: the ZIP is consistent, its SHA-256 is not — found
        // only once the chunk was restored into the staging database.
        let python = try #require(which("python3"))
        let entry = try run(
            python,
            [
                "-c",
                "import zipfile,sys; print([n for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.endswith('.sql')][0])",
                f.zip,
            ]
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let damaged = try bundleSurgery(
            "flip", csv: f.csv, zip: f.zip, into: f.workspace.path("damaged"), [entry])

        let result = try f.workspace.transfert([
            "restore", damaged.csv, damaged.zip, "--into", "1", "--replace", "--yes",
        ])
        #expect(result.status != 0)
        #expect(result.stderr.contains("the establishment is as it was"), "\(result.transcript)")
        #expect(try f.dump(1) == dump, "every table and row as before")
        #expect(try f.fileDigests(1) == files, "every uploaded file as before")
        #expect(try f.registryRow(1) == registry)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: f.workspace.path("hosting/bases")).sorted() == [
                "base_1.sqlite", "base_2.sqlite",
            ])
        #expect(try f.workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")
        #expect(
            try f.workspace.sqlite(
                "hosting/registry.sqlite", "SELECT COUNT(*) FROM transfer_journal WHERE event = 'restored'")
                == "0")
    }

    @Test func filesAKilledRestoreSetAsideArePutBackBeforeTheSafetyBackup() throws {
        let f = try Fixture()
        // As a restore killed between its two renames leaves them: the files aside, none in place.
        let files = f.workspace.path("hosting/files")
        let aside = "\(files)/.restore-kept-1-2147483646-0badc0de"
        try FileManager.default.moveItem(atPath: "\(files)/1", toPath: aside)
        try "avant".write(toFile: "\(aside)/perdu.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            atPath: "\(files)/.restore-1-2147483646-0badc0de", withIntermediateDirectories: true)

        let result = try f.restore(["--into", "1", "--replace", "--yes", "--json"])
        try #require(result.status == 0, "\(result.transcript)")
        let report = try #require(try f.workspace.json(result) as? [String: Any])
        #expect((report["notes"] as? [String] ?? []).contains { $0.contains("were put back in files/1") }, "\(report)")
        let backup = try #require(report["safety_backup"] as? String)
        let python = try #require(which("python3"))
        let names = try run(
            python, ["-c", "import zipfile,sys; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))", backup]
        )
        .stdout
        #expect(names.contains("base_1/files/perdu.txt"), "the safety backup holds the files put back: \(names)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: files).filter { $0.hasPrefix(".") } == [])
    }

    @Test func mergeMatchesAnExistingLoginAndPointsItsGradesAtTheExistingUser() throws {
        let f = try Fixture()
        let database = "hosting/bases/base_1.sqlite"
        // The user of the bundle's id 3 lives here under another id (500), as after years of other imports.
        let login = try f.workspace.sqlite(database, "SELECT login FROM users WHERE id = 3")
        _ = try f.workspace.sqlite(
            database,
            "UPDATE users SET id = 500 WHERE id = 3; UPDATE grades SET student_id = 500 WHERE student_id = 3; UPDATE memberships SET user_id = 500 WHERE user_id = 3; UPDATE reports SET student_id = 500 WHERE student_id = 3; UPDATE images SET user_id = 500 WHERE user_id = 3; UPDATE messages SET author_id = 500 WHERE author_id = 3; UPDATE assessments SET teacher_id = 500 WHERE teacher_id = 3"
        )
        let usersBefore = try f.workspace.sqlite(database, "SELECT COUNT(*) FROM users")
        let membershipsBefore = try f.workspace.sqlite(database, "SELECT COUNT(*) FROM memberships")
        let gradesOf500 =
            Int(try f.workspace.sqlite(database, "SELECT COUNT(*) FROM grades WHERE student_id = 500")) ?? -1
        let bundleGradesOf3 = gradesOf500  // the same rows, renumbered

        let result = try f.restore(["--into", "1", "--merge", "--yes", "--json"])
        try #require(result.status == 0, "\(result.transcript)")
        let report = try #require(try f.workspace.json(result) as? [String: Any])
        #expect(try f.workspace.sqlite(database, "SELECT COUNT(*) FROM users") == usersBefore, "no user duplicated")
        #expect(try f.workspace.sqlite(database, "SELECT COUNT(*) - COUNT(DISTINCT login) FROM users") == "0")
        #expect(
            Int(try f.workspace.sqlite(database, "SELECT COUNT(*) FROM grades WHERE student_id = 500"))
                == gradesOf500 + bundleGradesOf3, "the bundle's grades of that user point at the existing id")
        #expect(try f.workspace.sqlite(database, "PRAGMA foreign_key_check") == "")
        let matches = try #require(report["matches"] as? [[String: Any]])
        #expect(
            matches.contains {
                $0["table"] as? String == "users" && $0["key"] as? String == "login = '\(login)'"
                    && $0["bundle_id"] as? String == "3" && $0["existing_id"] as? String == "500"
            }, "\(matches.filter { $0["table"] as? String == "users" }.prefix(5))")
        #expect(
            (report["notes"] as? [String] ?? []).contains { $0.contains("uploaded file(s) were not merged") },
            "uploads are not merged silently")
        // Memberships already there are not added again.
        let merged = try #require(report["merged"] as? [[String: Any]])
        let memberships = try #require(merged.first { $0["table"] as? String == "memberships" })
        #expect(memberships["added"] as? Int == 0)
        #expect(try f.workspace.sqlite(database, "SELECT COUNT(*) FROM memberships") == membershipsBefore)
    }

    @Test func mergeLeavesTheSISFeedStateAsItIsAndSaysSo() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "1", "--students", "8", "--seed", "3"])
        let database = "hosting/bases/base_1.sqlite"
        let group = try workspace.sqlite(database, "SELECT name FROM user_groups ORDER BY id LIMIT 1")
        let logins = try workspace.sqlite(
            database, "SELECT login FROM users WHERE profile = 'student' ORDER BY id LIMIT 2"
        ).split(separator: "\n")
        let feed = workspace.path("feed.txt")
        try ("EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY\n" + logins.map { "\(group)|\($0)\n" }.joined())
            .write(toFile: feed, atomically: true, encoding: .utf8)
        try workspace.succeed(["feed", "membership", "--id", "1", "--operation", "store", feed])
        try workspace.succeed(["export", "--ids", "1", "--out", workspace.path("out")])
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path("out"))
        let csv = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".csv") })))
        let zip = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".zip") })))
        let before = try workspace.sqlite(database, "SELECT * FROM transfert_feed_membership ORDER BY 1")
        #expect(!before.isEmpty)

        let result = try workspace.transfert(["restore", csv, zip, "--into", "1", "--merge", "--yes", "--json"])
        try #require(result.status == 0, "\(result.transcript)")
        let report = try #require(try workspace.json(result) as? [String: Any])
        #expect(
            (report["notes"] as? [String] ?? []).contains {
                $0.contains("SIS feed state") && $0.contains("not merged")
            },
            "\(report["notes"] ?? "")")
        #expect(try workspace.sqlite(database, "SELECT * FROM transfert_feed_membership ORDER BY 1") == before)
    }

    @Test func mergeUsersNeverRefusesAndChangesNothing() throws {
        let f = try Fixture()
        let dump = try f.dump(1)
        let result = try f.restore(["--into", "1", "--merge", "--merge-users", "never", "--yes", "--json"])
        #expect(result.status == 1, "\(result.transcript)")
        let error = try #require((try f.workspace.json(result) as? [String: Any])?["error"] as? [String: Any])
        #expect(error["code"] as? String == "restore.refused")
        #expect((error["message"] as? String ?? "").contains("--merge-users never"), "\(error)")
        #expect(try f.dump(1) == dump)
        #expect(try f.workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")
    }

    @Test func withoutUsersLeavesNoDanglingReferenceOnReplaceAndOnImport() throws {
        let f = try Fixture()
        let result = try f.restore(["--into", "2", "--replace", "--without", "users", "--yes", "--json"])
        try #require(result.status == 0, "\(result.transcript)")
        let database = "hosting/bases/base_2.sqlite"
        #expect(try f.workspace.sqlite(database, "SELECT COUNT(*) FROM users") == "0")
        #expect(try f.workspace.sqlite(database, "PRAGMA foreign_key_check") == "")
        #expect(try f.workspace.sqlite(database, "SELECT value FROM parameters WHERE name = 'version_base'") != "")
        let report = try #require(try f.workspace.json(result) as? [String: Any])
        let leftOut = try #require(report["left_out"] as? [[String: Any]]).compactMap { $0["category"] as? String }
        #expect(Set(leftOut).isSuperset(of: ["users", "grades", "groups"]), "\(leftOut)")

        try f.workspace.initHosting("other", name: "autre", baseURL: "https://c.example.org/sacoche/")
        // A category the profile does not have is refused, by the dry run as by the import, before anything.
        for dryRun in [["--dry-run"], []] {
            let unknown = try f.workspace.transfert(
                ["import", f.csv, f.zip, "--without", "utilisateurs", "--json"] + dryRun, hosting: "other")
            #expect(unknown.status == 1, "\(unknown.transcript)")
            #expect(unknown.stdout.contains("content.selection"), "\(unknown.transcript)")
        }
        #expect(try f.workspace.sqlite("other/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0")
        let imported = try f.workspace.succeed(["import", f.csv, f.zip, "--without", "users"], hosting: "other")
        #expect(imported.stdout.contains("were not restored"), "\(imported.stdout)")
        #expect(imported.stdout.contains("no receipt"), "\(imported.stdout)")
        #expect(try f.workspace.sqlite("other/bases/base_1.sqlite", "SELECT COUNT(*) FROM users") == "0")
        #expect(try f.workspace.sqlite("other/bases/base_1.sqlite", "PRAGMA foreign_key_check") == "")
        #expect(try f.workspace.sqlite("other/bases/base_1.sqlite", "SELECT COUNT(*) FROM subjects") != "0")
    }

    @Test func settingsAreKeptByDefaultAndTakenFromTheBundleWithOverwriteSettings() throws {
        let f = try Fixture()
        try f.workspace.succeed(["export", "--ids", "2", "--out", f.workspace.path("two")])
        let names = try FileManager.default.contentsOfDirectory(atPath: f.workspace.path("two"))
        let csv = f.workspace.path("two/" + (try #require(names.first { $0.hasSuffix(".csv") })))
        let zip = f.workspace.path("two/" + (try #require(names.first { $0.hasSuffix(".zip") })))
        let database = "hosting/bases/base_2.sqlite"
        let registry = "hosting/registry.sqlite"
        let exportedName = try f.workspace.sqlite(registry, "SELECT denomination FROM structure WHERE base_id = 2")
        // Since the export, the establishment was renamed and one of its settings changed.
        _ = try f.workspace.sqlite(database, "UPDATE subjects SET name = 'Maths du 2' WHERE code = 'MAT'")
        _ = try f.workspace.sqlite(registry, "UPDATE structure SET denomination = 'Collège renommé' WHERE base_id = 2")

        let kept = try f.workspace.transfert(["restore", csv, zip, "--into", "2", "--replace", "--yes"])
        try #require(kept.status == 0, "\(kept.transcript)")
        #expect(try f.workspace.sqlite(database, "SELECT name FROM subjects WHERE code = 'MAT'") == "Maths du 2")
        #expect(
            try f.workspace.sqlite(registry, "SELECT denomination FROM structure WHERE base_id = 2")
                == "Collège renommé")

        let overwritten = try f.workspace.transfert(
            ["restore", csv, zip, "--into", "2", "--replace", "--overwrite-settings", "--yes"])
        try #require(overwritten.status == 0, "\(overwritten.transcript)")
        #expect(try f.workspace.sqlite(database, "SELECT name FROM subjects WHERE code = 'MAT'") != "Maths du 2")
        #expect(
            try f.workspace.sqlite(registry, "SELECT denomination FROM structure WHERE base_id = 2") == exportedName)
        #expect(try f.workspace.sqlite(database, "PRAGMA foreign_key_check") == "")

        // Two restores, two safety backups: the second, made in the same minute or not, replaced nothing.
        let backups = try FileManager.default.contentsOfDirectory(atPath: f.workspace.path("hosting/backups/manual"))
        #expect(backups.filter { $0.hasSuffix(".zip") }.count == 2, "\(backups)")
        #expect(backups.filter { $0.hasSuffix(".csv") }.count == 2, "\(backups)")

        // Establishment 1's bundle would give establishment 2 the UAI establishment 1 has: refused by name.
        let before = try f.dump(2)
        let clash = try f.restore(["--into", "2", "--replace", "--overwrite-settings", "--yes"])
        #expect(clash.status == 1)
        #expect(clash.stderr.contains("which establishment 1 has"), "\(clash.transcript)")
        #expect(try f.dump(2) == before)
    }

    @Test func refusalsNameTheReasonAndChangeNothing() throws {
        let f = try Fixture()
        let dump = try f.dump(1)
        func refused(_ arguments: [String], csv: String? = nil, zip: String? = nil) throws -> [String: Any] {
            let result = try f.workspace.transfert(
                ["restore", csv ?? f.csv, zip ?? f.zip] + arguments + ["--yes", "--json"])
            #expect(result.status == 1, "\(result.transcript)")
            return try #require((try f.workspace.json(result) as? [String: Any])?["error"] as? [String: Any])
        }
        #expect(try refused(["--into", "9", "--replace"])["code"] as? String == "restore.refused")
        #expect(try refused(["--into", "1", "--replace", "--from", "7"])["code"] as? String == "restore.refused")
        #expect(
            try refused(["--into", "1", "--replace", "--without", "nothing"])["code"] as? String == "content.selection")
        // Not confirmed (no terminal, no --yes): nothing happens.
        let unconfirmed = try f.workspace.transfert(["restore", f.csv, f.zip, "--into", "1", "--replace"])
        #expect(unconfirmed.status != 0 && unconfirmed.stderr.contains("--yes"), "\(unconfirmed.transcript)")

        // An anonymised copy (its manifest says so) restores only as a new establishment.
        let python = try #require(which("python3"))
        let script = """
            import json, sys, zipfile, shutil
            src, dst = sys.argv[1], sys.argv[2]
            zin = zipfile.ZipFile(src)
            with zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as zout:
                for info in zin.infolist():
                    data = zin.read(info.filename)
                    if info.filename == 'manifest.json':
                        m = json.loads(data)
                        m['options']['content'] = {'categories': [], 'included': [], 'left_out': [], 'anonymised': True}
                        data = json.dumps(m).encode()
                    zout.writestr(info, data)
            shutil.copyfile(sys.argv[3], sys.argv[4])
            """
        try FileManager.default.createDirectory(
            atPath: f.workspace.path("anonymised"), withIntermediateDirectories: true)
        let zip = f.workspace.path("anonymised/" + (f.zip as NSString).lastPathComponent)
        let csv = f.workspace.path("anonymised/" + (f.csv as NSString).lastPathComponent)
        try #require(try run(python, ["-c", script, f.zip, zip, f.csv, csv]).status == 0)
        let anonymised = try refused(["--into", "1", "--replace"], csv: csv, zip: zip)
        #expect(anonymised["code"] as? String == "content.anonymised")
        #expect((anonymised["message"] as? String ?? "").contains("import --as-copy"))
        #expect(try f.dump(1) == dump)
    }

    @Test func aBundleOfSeveralEstablishmentsNeedsFromAndRestoresTheOneChosen() throws {
        let f = try Fixture()
        try f.workspace.succeed(["export", "--all", "--out", f.workspace.path("all")])
        let names = try FileManager.default.contentsOfDirectory(atPath: f.workspace.path("all"))
        let csv = f.workspace.path("all/" + (try #require(names.first { $0.hasSuffix(".csv") })))
        let zip = f.workspace.path("all/" + (try #require(names.first { $0.hasSuffix(".zip") })))
        let unchosen = try f.workspace.transfert(["restore", csv, zip, "--into", "1", "--replace", "--yes"])
        #expect(unchosen.status == 1)
        #expect(unchosen.stderr.contains("--from"), "\(unchosen.transcript)")
        let chosen = try f.workspace.transfert([
            "restore", csv, zip, "--into", "1", "--replace", "--from", "2", "--yes",
        ])
        try #require(chosen.status == 0, "\(chosen.transcript)")
        #expect(
            try f.workspace.sqlite("hosting/bases/base_1.sqlite", "SELECT group_concat(login) FROM users")
                == (try f.workspace.sqlite("hosting/bases/base_2.sqlite", "SELECT group_concat(login) FROM users")))
    }
}
