import Foundation
import Testing
import TransfertTestSupport

/// What SACoche's MySQL server (MariaDB 10.11, strict mode by default) refuses or changes never leaves
/// Transfert as a SACoche bundle, and never passes `verify --deep` as restorable: one rule set
/// (`MySQLColumnRule`) for the export, the SACoche reader, the deep check and the import.
@Suite("SACoche and MySQL strict mode", .serialized)
struct SACocheStrictModeTests {
    static let profile = "Samples/sacoche-profile.yaml"

    func sacocheHosting(_ workspace: Workspace) throws {
        try workspace.initHosting(
            "hosting", name: "serveur-sacoche", baseURL: "https://sacoche.example.org/", profile: Self.profile)
        try workspace.succeed([
            "structure", "add", "--zone", "1", "--localisation", "Lyon", "--denomination", "Collège Jean Moulin",
            "--contact-nom", "Durand", "--contact-prenom", "Zoé", "--contact-courriel", "zoe.durand@example.org",
        ])
    }

    /// Values SQLite keeps and MySQL in strict mode refuses, one per rule family.
    static let badRows = """
        INSERT INTO sacoche_user (user_id, user_nom, user_prenom, user_login, user_connexion_date)
          VALUES (1, 'Dupont-de-la-Grande-Maison-X', 'Zoé 🎉', 'zoe', '2017-13-01 25:00:00');
        INSERT INTO sacoche_message (message_id, message_contenu, message_dests_cache) VALUES (4, printf('%.70000c', 'x'), '');
        INSERT INTO sacoche_devoir (devoir_id, devoir_date) VALUES (9, '2017-02-30');
        """

    @Test(
        "export --format sacoche refuses every value MySQL would refuse, naming table, row, column and value; nothing is written"
    )
    func exportRefusesWhatMySQLRefuses() throws {
        let workspace = try Workspace()
        try sacocheHosting(workspace)
        _ = try workspace.sqlite("hosting/bases/base_1.sqlite", Self.badRows)
        let out = workspace.path("out")
        let refused = try workspace.transfert(["export", "--format", "sacoche", "--ids", "1", "--out", out])
        #expect(refused.status != 0)
        for expected in [
            "table sacoche_user, row 1 (user_id = 1), column user_nom, value 'Dupont-de-la-Grande-Maison-X': 'Dupont-de-la-Grande-Maison-X…' has 28 characters, more than varchar(25) holds",
            "column user_prenom, value 'Zoé 🎉'", "a 4-byte UTF-8 character",
            "column user_connexion_date, value '2017-13-01 25:00:00'", "month 13 does not exist",
            "table sacoche_message, row 1 (message_id = 4), column message_contenu",
            "a value of 70000 bytes is more than text holds (65535)",
            "table sacoche_devoir, row 1 (devoir_id = 9), column devoir_date, value '2017-02-30'",
            "2017-02 has no day 30",
            "establishment 1 (", "5 values",
        ] {
            #expect(refused.stderr.contains(expected), "\(expected)\n\(refused.transcript)")
        }
        #expect(!refused.stderr.contains("Stack") && !refused.stderr.contains("Fatal error"))
        #expect(!FileManager.default.fileExists(atPath: out), "nothing written, not even the --out directory it made")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")

        // Missing levels it made are taken back too; a directory the operator made stays, empty.
        let nested = workspace.path("new/deeper/out")
        #expect(try workspace.transfert(["export", "--format", "sacoche", "--ids", "1", "--out", nested]).status != 0)
        #expect(!FileManager.default.fileExists(atPath: workspace.path("new")), "the levels it created are removed")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        #expect(try workspace.transfert(["export", "--format", "sacoche", "--ids", "1", "--out", out]).status != 0)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: out).isEmpty, "the operator's directory stays, empty")

        // Corrected, it goes.
        _ = try workspace.sqlite(
            "hosting/bases/base_1.sqlite",
            """
            UPDATE sacoche_user SET user_nom = 'Dupont', user_prenom = 'Zoé', user_connexion_date = '2017-12-01 23:00:00';
            UPDATE sacoche_message SET message_contenu = 'court'; UPDATE sacoche_devoir SET devoir_date = '2017-02-28';
            """)
        try workspace.succeed(["export", "--format", "sacoche", "--ids", "1", "--out", out])
    }

    @Test("verify --deep of a Transfert bundle of MySQL tables checks every value by MySQL's rules")
    func deepVerifyOfATransfertBundleChecksMySQLRules() throws {
        let workspace = try Workspace()
        try sacocheHosting(workspace)
        _ = try workspace.sqlite("hosting/bases/base_1.sqlite", Self.badRows)
        let out = workspace.path("out")
        try workspace.succeed(["export", "--ids", "1", "--out", out])  // Transfert's format carries them
        let names = try FileManager.default.contentsOfDirectory(atPath: out)
        let csv = out + "/" + (try #require(names.first { $0.hasSuffix(".csv") }))
        let zip = out + "/" + (try #require(names.first { $0.hasSuffix(".zip") }))
        try workspace.succeed(["verify", csv, zip], hosting: "none")  // the checksums alone hold
        let deep = try workspace.transfert(["verify", "--deep", "--json", csv, zip], hosting: "none")
        #expect(deep.status != 0)
        let report = try #require(try workspace.json(deep) as? [String: Any])
        #expect(report["verified"] as? Bool == false)
        let problems = (report["establishments"] as? [[String: Any]] ?? []).flatMap {
            $0["problems"] as? [[String: Any]] ?? []
        }
        let mysql = problems.filter { $0["code"] as? String == "restore.mysql_value" }
        let fields = Set(mysql.compactMap { ($0["location"] as? [String: Any])?["field"] as? String })
        #expect(
            fields == [
                "sacoche_user.user_nom", "sacoche_user.user_prenom", "sacoche_user.user_connexion_date",
                "sacoche_message.message_contenu", "sacoche_devoir.devoir_date",
            ], "\(problems)")
        #expect(
            mysql.contains {
                ($0["message"] as? String ?? "").contains(
                    "row 1 (devoir_id = 9), column devoir_date, value '2017-02-30'")
            })

        // Imported into another SQLite hosting with SACoche's profile: refused, as a SACoche bundle's would be.
        try workspace.initHosting("target", name: "serveur-b", baseURL: "https://b.example.org/", profile: Self.profile)
        let imported = try workspace.transfert(["import", csv, zip], hosting: "target")
        #expect(imported.status != 0)
        #expect(
            imported.stdout.contains("could never go back to SACoche")
                || imported.stderr.contains("could never go back to SACoche"), "\(imported.transcript)")
        #expect(
            (imported.stdout + imported.stderr).contains("column devoir_date, value '2017-02-30'"),
            "\(imported.transcript)")
        #expect(try workspace.sqlite("target/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: workspace.path("target/bases"))) ?? []).isEmpty)
    }

    /// A SACoche bundle whose values no MySQL can restore: 4-byte UTF-8 in a utf8 column, impossible dates.
    func makeBundle(_ workspace: Workspace) throws -> (csv: String, zip: String) {
        let python = try #require(which("python3"))
        let make = """
            import sys, zipfile, io
            out = sys.argv[1]
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, 'w') as z:
                z.writestr('dump_sacoche_parametre_0000.sql', "DROP TABLE IF EXISTS sacoche_parametre;\\r\\nCREATE TABLE sacoche_parametre (\\n  parametre_nom varchar(50) COLLATE utf8_unicode_ci NOT NULL DEFAULT '',\\n  parametre_valeur varchar(255) COLLATE utf8_unicode_ci NOT NULL DEFAULT '',\\n  PRIMARY KEY (parametre_nom)\\n) ENGINE=MyISAM DEFAULT CHARSET=utf8 COLLATE=utf8_unicode_ci;\\r\\nALTER TABLE sacoche_parametre DISABLE KEYS;\\r\\nINSERT INTO sacoche_parametre VALUES \\r\\n(\\"version_base\\",\\"2017-09-19\\");\\r\\nALTER TABLE sacoche_parametre ENABLE KEYS;\\r\\n")
                z.writestr('dump_sacoche_eleve_0000.sql', "DROP TABLE IF EXISTS sacoche_eleve;\\r\\nCREATE TABLE sacoche_eleve (\\n  eleve_id mediumint(8) unsigned NOT NULL AUTO_INCREMENT,\\n  eleve_nom varchar(25) COLLATE utf8_unicode_ci NOT NULL DEFAULT '',\\n  eleve_naissance date DEFAULT NULL,\\n  eleve_connexion datetime DEFAULT NULL,\\n  PRIMARY KEY (eleve_id)\\n) ENGINE=MyISAM DEFAULT CHARSET=utf8 COLLATE=utf8_unicode_ci;\\r\\nALTER TABLE sacoche_eleve DISABLE KEYS;\\r\\nINSERT INTO sacoche_eleve VALUES \\r\\n(1,\\"Zoé 🎉\\",\\"2010-01-01\\",NULL),\\r\\n(2,\\"Léo\\",\\"2017-02-30\\",NULL),\\r\\n(3,\\"Inès\\",NULL,\\"2017-13-01 25:00:00\\");\\r\\nALTER TABLE sacoche_eleve ENABLE KEYS;\\r\\n")
            with zipfile.ZipFile(out + '.zip', 'w') as z:
                z.writestr('dump_SACoche_7_2017-10-02_14-05-37_1.zip', inner.getvalue())
            header = 'Id_Export;Id_Import;Id_Zone;Localisation;Dénomination;UAI;Contact_Nom;Contact_Prénom;Contact_Courriel;Date_Inscription;Nom_fichier\\r\\n'
            line = '7;;1;Lyon;École test;;DUPONT;Jean;jean.dupont@example.org;2012-09-13;dump_SACoche_7_2017-10-02_14-05-37_1.zip\\r\\n'
            open(out + '.csv', 'w', encoding='utf-8', newline='').write(header + line)
            """
        let base = workspace.path("bases_dump_2017-10-02_14-05-37_1")
        #expect(try run(python, ["-c", make, base]).status == 0)
        return (base + ".csv", base + ".zip")
    }

    @Test(
        "verify --deep of a SACoche bundle no MySQL can restore is not VERIFIED: each value named with file, line, table, row, column; import refuses it"
    )
    func sacocheBundleWithUnrestorableValues() throws {
        let workspace = try Workspace()
        let bundle = try makeBundle(workspace)
        let verify = try workspace.transfert(["verify", "--deep", bundle.csv, bundle.zip], hosting: "none")
        #expect(verify.status != 0)
        #expect(!verify.stdout.contains("VERIFIED") || verify.stdout.contains("NOT VERIFIED"), "\(verify.transcript)")
        let file = "dump_SACoche_7_2017-10-02_14-05-37_1.zip/dump_sacoche_eleve_0000.sql"
        for expected in [
            "\(file) line 11, column 4: table sacoche_eleve, row 1, column eleve_nom, value 'Zoé 🎉'",
            "\(file) line 12, column 11: table sacoche_eleve, row 2, column eleve_naissance, value '2017-02-30': '2017-02-30': 2017-02 has no day 30",
            "\(file) line 13, column 17: table sacoche_eleve, row 3, column eleve_connexion, value '2017-13-01 25:00:00'",
        ] {
            #expect(verify.stdout.contains(expected), "\(expected)\n\(verify.transcript)")
        }
        // --json: each value is a problem with its place.
        let json = try workspace.transfert(["verify", "--deep", "--json", bundle.csv, bundle.zip], hosting: "none")
        let report = try #require(try workspace.json(json) as? [String: Any])
        let refused = (report["establishments"] as? [[String: Any]] ?? []).flatMap {
            $0["problems"] as? [[String: Any]] ?? []
        }
        .filter { $0["code"] as? String == "dump.value_refused" }
        let places = refused.compactMap { $0["location"] as? [String: Any] }
        #expect(places.map { $0["line"] as? Int } == [11, 12, 13], "\(refused)")
        #expect(
            places.map { $0["field"] as? String } == [
                "sacoche_eleve.eleve_nom", "sacoche_eleve.eleve_naissance", "sacoche_eleve.eleve_connexion",
            ])
        #expect(
            places.allSatisfy { $0["file"] as? String == file } && places[1]["value"] as? String == "'2017-02-30'"
                && places[1]["column"] as? Int == 11)

        try workspace.initHosting(
            "hosting", name: "serveur-sacoche", baseURL: "https://sacoche.example.org/", profile: Self.profile)
        let imported = try workspace.transfert(["import", bundle.csv, bundle.zip])
        #expect(imported.status != 0)
        #expect(imported.stderr.contains("column eleve_naissance, value '2017-02-30'"), "\(imported.transcript)")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0")
    }
}
