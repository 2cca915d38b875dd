import Foundation
import Testing

/// Python (standard library only) that describes an SQLite database's schema the way SQLite itself
/// reports it: `pragma table_info`, `foreign_key_list`, `index_list` with `index_xinfo`, every CHECK
/// clause of every table, and the views' and triggers' names, tables and SQL. Names and SQL of automatic
/// objects are SQLite's own. Everything is normalised only in white space, quotes and case, so that a
/// database created by hand from the profile compares with one created by Transfert.
private let schemaDescriber = #"""
    import json, re, sqlite3, sys

    def checks(sql):
        found, i = [], 0
        upper = sql.upper()
        while True:
            i = upper.find('CHECK', i)
            if i < 0: return sorted(found)
            j = sql.find('(', i)
            if j < 0 or sql[i + 5:j].strip(): i += 5; continue
            depth, k = 0, j
            while k < len(sql):
                if sql[k] == '(': depth += 1
                elif sql[k] == ')':
                    depth -= 1
                    if depth == 0: break
                k += 1
            found.append(norm(sql[j + 1:k]))
            i = k

    def norm(text):
        return re.sub(r'\s+', '', (text or '').replace('"', '')).lower()

    db = sqlite3.connect(sys.argv[1])
    out = {'tables': {}, 'views': {}, 'triggers': {}}
    for name, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"):
        indexes = []
        for seq, iname, unique, origin, partial in db.execute('SELECT seq, name, "unique", origin, partial FROM pragma_index_list(?)', (name,)):
            isql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (iname,)).fetchone()
            where = norm(isql[0].split(' WHERE ', 1)[1]) if isql and isql[0] and ' WHERE ' in isql[0] else None
            terms = [list(r) for r in db.execute('SELECT seqno, cid, name, "desc", coll, "key" FROM pragma_index_xinfo(?) ORDER BY seqno', (iname,))]
            indexes.append({'name': iname, 'unique': unique, 'origin': origin, 'partial': partial, 'where': where, 'terms': terms})
        out['tables'][name] = {
            'columns': [list(r) for r in db.execute('SELECT cid, name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)', (name,))],
            'foreign_keys': [list(r) for r in db.execute('SELECT id, seq, "table", "from", "to", on_update, on_delete, "match" FROM pragma_foreign_key_list(?)', (name,))],
            'indexes': sorted(indexes, key=lambda i: i['name']),
            'checks': checks(sql),
            'without_rowid': 'WITHOUT ROWID' in sql.upper(),
        }
    for kind in ('view', 'trigger'):
        for name, table, sql in db.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = ? ORDER BY name", (kind,)):
            out[kind + 's'][name] = {'table': table, 'sql': norm(sql)}
    print(json.dumps(out, indent=1, sort_keys=True))
    """#

/// Issue #12: a transferred establishment arrives whole, schema constraints included.
@Suite("Schema fidelity: export, import, migrations, foreign keys", .serialized)
struct FidelityTests {
    /// The sample profile plus SQLite-only objects: an expression index with a WHERE clause, a trigger.
    static let richProfile = "Tests/Fixtures/profiles/sqlite-rich-profile.yaml"

    /// The schema of `database` (a path in the workspace) as SQLite reports it, through Python.
    func describe(_ workspace: Workspace, _ database: String, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> String
    {
        let result = try run(try #require(which("python3")), ["-c", schemaDescriber, workspace.path(database)])
        #expect(result.status == 0, "\(result.transcript)", sourceLocation: sourceLocation)
        return result.stdout
    }

    /// The CSV and ZIP an export wrote in `folder` of the workspace.
    func exported(in folder: String, _ f: ImportFixture, sourceLocation: SourceLocation = #_sourceLocation) throws -> (
        csv: String, zip: String
    ) {
        let names = try FileManager.default.contentsOfDirectory(atPath: f.workspace.path(folder))
        return (
            f.workspace.path(
                "\(folder)/\(try #require(names.first { $0.hasSuffix(".csv") }, sourceLocation: sourceLocation))"),
            f.workspace.path(
                "\(folder)/\(try #require(names.first { $0.hasSuffix(".zip") }, sourceLocation: sourceLocation))")
        )
    }

    /// Lines that differ, for a readable failure.
    func diff(_ a: String, _ b: String) -> String {
        let left = a.split(separator: "\n")
        let right = b.split(separator: "\n")
        return zip(left, right).enumerated().filter { $0.element.0 != $0.element.1 }.prefix(12)
            .map { "line \($0.offset + 1):\n  - \($0.element.0)\n  + \($0.element.1)" }.joined(separator: "\n")
            + (left.count != right.count ? "\n(\(left.count) lines vs \(right.count))" : "")
    }

    /// A fresh establishment of the target: `structure add` with the same profile.
    func freshEstablishment(_ f: ImportFixture) throws -> String {
        try f.workspace.succeed(
            [
                "structure", "add", "--uai", "0999999F", "--denomination", "Collège Témoin",
                "--localisation", "Dole", "--contact-nom", "Témoin", "--contact-prenom", "Zoé",
                "--contact-courriel", "zoe.temoin@ac-besancon.fr",
            ], hosting: "target")
        let list = try f.structures()
        let id = try #require(list.first { $0["uai"] as? String == "0999999F" }?["base_id"] as? Int)
        return "target/bases/base_\(id).sqlite"
    }

    @Test func anImportedEstablishmentHasExactlyTheSchemaOfAFreshOne() throws {
        let f = try ImportFixture(samples: [(1, 20, 31)], targetStructures: 0, profile: Self.richProfile)
        let imported = try f.importing(f.csv, f.zip)
        #expect(imported.status == 0, "\(imported.transcript)")
        #expect(!imported.stdout.contains("differs from a fresh establishment"), "\(imported.stdout)")
        let fresh = try describe(f.workspace, try freshEstablishment(f))
        let restored = try describe(f.workspace, "target/bases/base_1.sqlite")
        #expect(restored == fresh, "imported vs fresh:\n\(diff(restored, fresh))")
        #expect(restored == (try describe(f.workspace, "source/bases/base_1.sqlite")), "imported vs source")

        // What the profile declares, created by sqlite3 itself, reports the same schema: the neutral
        // model Transfert goes through lost nothing of it.
        let byHand = try run(
            try #require(which("python3")),
            [
                "-c",
                """
                import re, sqlite3, sys
                text = open(sys.argv[1], encoding='utf-8').read()
                block = re.search(r'^schema: \\|\\n((?:  .*\\n|\\n)+)', text, re.M).group(1)
                sql = '\\n'.join(line[2:] for line in block.split('\\n'))
                db = sqlite3.connect(sys.argv[2]); db.executescript(sql); db.close()
                """, repositoryRoot.appendingPathComponent(Self.richProfile).path, f.workspace.path("by-hand.sqlite"),
            ])
        #expect(byHand.status == 0, "\(byHand.transcript)")
        let reference = try describe(f.workspace, "by-hand.sqlite")
        #expect(fresh == reference, "fresh vs the profile run by sqlite3:\n\(diff(fresh, reference))")

        // The things the old format dropped are really there, and enforced.
        #expect(fresh.contains("\"CASCADE\""), "ON DELETE CASCADE")
        #expect(fresh.contains("points>=0"), "a CHECK clause")
        #expect(
            try f.workspace.sqlite(
                "target/bases/base_1.sqlite", "SELECT COUNT(*) FROM sqlite_master WHERE type IN ('view', 'trigger')")
                == "2")
        let orphan = try run(
            try #require(which("sqlite3")),
            [
                "-batch", f.workspace.path("target/bases/base_1.sqlite"),
                "PRAGMA foreign_keys = ON; INSERT INTO grades (assessment_id, student_id, item, score, graded_on) VALUES (999999, 1, 1, 'A', '2025-10-01');",
            ])
        #expect(orphan.status != 0 && orphan.stderr.contains("FOREIGN KEY constraint failed"), "\(orphan.transcript)")
        let negative = try run(
            try #require(which("sqlite3")),
            [
                "-batch", f.workspace.path("target/bases/base_1.sqlite"),
                "UPDATE grades SET points = -1 WHERE id = 1;",
            ])
        #expect(negative.status != 0 && negative.stderr.contains("CHECK constraint failed"), "\(negative.transcript)")
    }

    @Test func aMigratedEstablishmentEqualsAFreshOneAtTheCurrentVersion() throws {
        let f = try ImportFixture(samples: [(1, 20, 32)], targetStructures: 0, profile: Self.richProfile)
        // The application's 2025-09-01 schema had no birth_date.
        _ = try f.workspace.sqlite(
            "source/bases/base_1.sqlite",
            "ALTER TABLE users DROP COLUMN birth_date; UPDATE parameters SET value = '2025-09-01' WHERE name = 'version_base'"
        )
        try f.workspace.succeed(["export", "--ids", "1", "--out", f.workspace.path("old")], hosting: "source")
        let (csv, zip) = try exported(in: "old", f)
        let imported = try f.importing(csv, zip)
        #expect(imported.status == 0, "\(imported.transcript)")
        #expect(!imported.stdout.contains("differs from a fresh establishment"), "\(imported.stdout)")
        let fresh = try describe(f.workspace, try freshEstablishment(f))
        let migrated = try describe(f.workspace, "target/bases/base_1.sqlite")
        #expect(migrated == fresh, "migrated vs fresh:\n\(diff(migrated, fresh))")
    }

    @Test func rowsWithAMissingParentAreNamedByVerifyAndImportNeverSilently() throws {
        let f = try ImportFixture(samples: [(1, 20, 33)], targetStructures: 0, profile: Self.richProfile)
        // The source application ran without enforcing foreign keys (SQLite's default) and left an orphan.
        _ = try f.workspace.sqlite(
            "source/bases/base_1.sqlite",
            """
            PRAGMA foreign_keys = OFF;
            INSERT INTO grades (id, assessment_id, student_id, item, score, points, graded_on) VALUES (900001, 424242, 1, 1, 'A', 2.0, '2025-10-01');
            """)
        try f.workspace.succeed(["export", "--ids", "1", "--out", f.workspace.path("orphan")], hosting: "source")
        let (csv, zip) = try exported(in: "orphan", f)
        let expected = "table grades, row 900001: assessment_id = 424242 has no parent row in assessments"

        let verify = try f.workspace.transfert(["verify", "--deep", csv, zip], hosting: "source")
        #expect(verify.status != 0, "\(verify.transcript)")
        #expect(verify.stdout.contains(expected), "\(verify.transcript)")

        let refused = try f.importing(csv, zip)
        #expect(refused.status != 0, "\(refused.transcript)")
        #expect(refused.stdout.contains(expected), "\(refused.transcript)")
        #expect(refused.stdout.contains("--accept-foreign-key-violations"), "says what to do: \(refused.transcript)")
        #expect(try f.bases().isEmpty, "nothing is left of the refused establishment")

        let accepted = try f.importing(csv, zip, ["--accept-foreign-key-violations"])
        #expect(accepted.status == 0, "\(accepted.transcript)")
        #expect(
            accepted.stdout.contains("kept as in the source (--accept-foreign-key-violations): \(expected)"),
            "\(accepted.transcript)")
        #expect(
            try f.workspace.sqlite("target/bases/base_1.sqlite", "SELECT assessment_id FROM grades WHERE id = 900001")
                == "424242",
            "the row is carried as it was, not dropped")
        let details = try f.journal().compactMap { $0["details"] as? String }.joined(separator: "\n")
        #expect(details.contains(expected), "the journal keeps it: \(details)")
    }

    @Test func aVersion1BundleStillImportsAndSaysWhatItLeftOut() throws {
        let workspace = try Workspace()
        try workspace.initHosting("target", name: "target", baseURL: "https://b.example.org/sacoche/")
        let fixture = repositoryRoot.appendingPathComponent("Tests/Fixtures/format-1")
        let csv = fixture.appendingPathComponent("bases_dump_format1.csv").path
        let zip = fixture.appendingPathComponent("bases_dump_format1.zip").path
        let inspect = try workspace.succeed(["inspect", zip], hosting: "target")
        #expect(inspect.stdout.contains("archive format 1"), "\(inspect.stdout)")
        let result = workspace.path("result.csv")
        let imported = try workspace.transfert(["import", "--result", result, csv, zip], hosting: "target")
        #expect(imported.status == 0, "\(imported.transcript)")
        #expect(
            imported.stdout.contains("this bundle uses archive format 1, which does not carry foreign keys"),
            "\(imported.stdout)")
        #expect(
            imported.stdout.contains(
                "left out by the export: grades: 2 foreign key(s) are not part of the portable subset"),
            "\(imported.stdout)")
        #expect(imported.stdout.contains("differs from a fresh establishment: table grades"), "\(imported.stdout)")
        let json = try #require(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: workspace.path("result.json")))) as? [String: Any])
        let establishments = try #require(json["establishments"] as? [[String: Any]])
        #expect((establishments.first?["notes"] as? [String])?.isEmpty == false, "the loss is in the result file too")
        #expect(try workspace.sqlite("target/bases/base_1.sqlite", "SELECT COUNT(*) FROM grades") != "0")
    }

    @Test func restoredRowsFireNoTriggerAndWhatCannotBeCarriedIsRefusedByName() throws {
        let f = try ImportFixture(samples: [(1, 20, 34)], targetStructures: 0, profile: Self.richProfile)
        let source = "source/bases/base_1.sqlite"
        // A row the trigger would refuse today, entered before the trigger existed.
        let trigger = try f.workspace.sqlite(source, "SELECT sql FROM sqlite_master WHERE name = 'grades_dated'")
        _ = try f.workspace.sqlite(
            source,
            """
            DROP TRIGGER grades_dated;
            INSERT INTO grades (id, assessment_id, student_id, item, score, points, graded_on) VALUES (900002, 1, 1, 1, 'A', 1.0, '1999-06-30');
            \(trigger);
            """)
        try f.workspace.succeed(["export", "--ids", "1", "--out", f.workspace.path("old-row")], hosting: "source")
        let (csv, zip) = try exported(in: "old-row", f)
        let imported = try f.importing(csv, zip)
        #expect(
            imported.status == 0,
            "the trigger is created after the rows, so it does not refuse them: \(imported.transcript)")
        #expect(
            try f.workspace.sqlite("target/bases/base_1.sqlite", "SELECT graded_on FROM grades WHERE id = 900002")
                == "1999-06-30")
        #expect(
            try f.workspace.sqlite(
                "target/bases/base_1.sqlite", "SELECT COUNT(*) FROM sqlite_master WHERE name = 'grades_dated'") == "1")

        // A generated column cannot be carried: the export refuses it by name and writes nothing.
        _ = try f.workspace.sqlite(
            source, "ALTER TABLE users ADD COLUMN initials TEXT GENERATED ALWAYS AS (substr(first_name, 1, 1)) VIRTUAL")
        let refused = try f.workspace.transfert(
            ["export", "--ids", "1", "--out", f.workspace.path("refused")], hosting: "source")
        #expect(refused.status != 0, "\(refused.transcript)")
        #expect(
            refused.stderr.contains("table users cannot be carried by the archive format: generated columns"),
            "\(refused.transcript)")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: f.workspace.path("refused"))) ?? []
        #expect(left.isEmpty, "nothing written: \(left)")
        #expect(
            try f.workspace.sqlite("source/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0",
            "no lock left")
    }

    @Test func aProfileTheFormatCouldNotCarryIsRefusedAtInitWithItsLine() throws {
        let workspace = try Workspace()
        let profile = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Samples/school-profile.yaml"), encoding: .utf8
        )
        .replacingOccurrences(
            of: "    generated_at TEXT NOT NULL\n", with: "    generated_at TEXT NOT NULL ON CONFLICT REPLACE\n")
        let path = workspace.path("profile.yaml")
        try profile.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try workspace.transfert([
            "init", "--name", "x", "--base-url", "https://x.example.org/", "--webmaster-name", "W",
            "--webmaster-email", "w@example.org", "--profile", path,
        ])
        #expect(result.status != 0, "\(result.transcript)")
        #expect(result.stderr.contains("key `schema`: schema line"), "\(result.transcript)")
        #expect(result.stderr.contains("ON CONFLICT clauses are not supported"), "\(result.transcript)")
        #expect(
            !FileManager.default.fileExists(atPath: workspace.path("hosting/transfert.yaml")), "no hosting was made")
    }
}
