import Foundation
import Testing
import TransfertTestSupport

/// A `;` written raw in a CSV value shifts the line's fields, and SACoche names that base's ZIP after the
/// field it then reads as Nom_fichier (FORMAT.md §2). Whatever the arrangement — one base or several, the
/// shifted line first or last, one `;` or two, with or without the CSV — the bundle is recognised as
/// SACoche's and the shifted line is named, never "not a Transfert bundle".
@Suite("SACoche shifted CSV lines", .serialized)
struct SACocheShiftedLineTests {
    /// Builds a variant of the `semicolon-in-name` fixture (base 1 shifted, named `2016-12-08`; base 6 sound).
    func variant(_ kind: String, in workspace: Workspace) throws -> (csv: String, zip: String) {
        let python = try #require(which("python3"))
        let script = """
            import sys, zipfile, glob, os
            fixture, out, kind = sys.argv[1], sys.argv[2], sys.argv[3]
            src_csv = glob.glob(fixture + '/*.csv')[0]; src_zip = glob.glob(fixture + '/*.zip')[0]
            lines = open(src_csv, encoding='utf-8', newline='').read().split('\\r\\n')
            header, sound, shifted = lines[0], lines[1], lines[2]
            entries = {}
            with zipfile.ZipFile(src_zip) as z:
                for n in z.namelist(): entries[n] = z.read(n)
            shifted_zip = '2016-12-08'
            sound_zip = sound.split(';')[10]
            if kind == 'one-base':
                rows, keep = [shifted], [shifted_zip]
            elif kind == 'shifted-first':
                rows, keep = [shifted, sound], [shifted_zip, sound_zip]
            elif kind == 'shifted-last':
                rows, keep = [sound, shifted], [sound_zip, shifted_zip]
            elif kind == 'two-semicolons':
                # A second ';' in Localisation: SACoche reads the e-mail address as Nom_fichier.
                fields = shifted.split(';')
                fields[3] = 'Lyon ; Bron'
                shifted = ';'.join(fields)
                f = shifted.split(';')
                entries[f[10]] = entries.pop(shifted_zip)
                shifted_zip = f[10]
                rows, keep = [shifted], [shifted_zip]
            with zipfile.ZipFile(out + '.zip', 'w', zipfile.ZIP_DEFLATED) as z:
                for n in keep: z.writestr(n, entries[n])
            open(out + '.csv', 'w', encoding='utf-8', newline='').write('\\r\\n'.join([header] + rows) + '\\r\\n')
            print(shifted_zip)
            """
        let base = workspace.path("bases_dump_2017-12-02_10-00-00_\(kind.utf8.count)\(kind.count)")
        let made = try run(
            python,
            [
                "-c", script, repositoryRoot.appendingPathComponent("Tests/Fixtures/sacoche/semicolon-in-name").path,
                base, kind,
            ])
        #expect(made.status == 0, "\(made.transcript)")
        return (base + ".csv", base + ".zip")
    }

    @Test(
        "verify and import name the shifted line in every arrangement",
        arguments: [
            ("one-base", "CSV line 2 has 12 fields where the header has 11"),
            ("shifted-first", "CSV line 2 has 12 fields where the header has 11"),
            ("shifted-last", "CSV line 3 has 12 fields where the header has 11"),
            ("two-semicolons", "CSV line 2 has 13 fields where the header has 11"),
        ])
    func theShiftedLineIsNamed(kind: String, message: String) throws {
        let workspace = try Workspace()
        let bundle = try variant(kind, in: workspace)
        let verify = try workspace.transfert(["verify", bundle.csv, bundle.zip], hosting: "none")
        #expect(verify.status != 0)
        #expect(
            verify.stdout.contains(message) && verify.stdout.contains("a ';' written raw inside a value"),
            "\(kind):\n\(verify.transcript)")
        #expect(!verify.transcript.contains("manifest.json"), "\(kind):\n\(verify.transcript)")
        let inspected = try workspace.transfert(["inspect", "--json", bundle.csv, bundle.zip], hosting: "none")
        #expect(
            (try workspace.json(inspected) as? [String: Any])?["format"] as? String == "sacoche",
            "\(kind):\n\(inspected.transcript)")

        try workspace.initHosting(
            "hosting", name: "serveur-sacoche", baseURL: "https://sacoche.example.org/",
            profile: "Samples/sacoche-profile.yaml")
        let imported = try workspace.transfert(["import", bundle.csv, bundle.zip])
        #expect(imported.status != 0)
        #expect(imported.stderr.contains(message), "\(kind):\n\(imported.transcript)")
        #expect(!imported.transcript.contains("manifest.json"), "\(kind):\n\(imported.transcript)")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0")
    }

    @Test("without its CSV, a base's ZIP named after a shifted field is still recognised and explained")
    func withoutTheCSV() throws {
        let workspace = try Workspace()
        let made = try variant("one-base", in: workspace)
        // Alone in its directory: inspect finds no CSV beside it.
        let alone = workspace.path("alone")
        try FileManager.default.createDirectory(atPath: alone, withIntermediateDirectories: true)
        let bundle = (zip: alone + "/" + URL(fileURLWithPath: made.zip).lastPathComponent, csv: "")
        try FileManager.default.copyItem(atPath: made.zip, toPath: bundle.zip)
        let inspected = try workspace.transfert(["inspect", "--json", bundle.zip], hosting: "none")
        let report = try #require(try workspace.json(inspected) as? [String: Any], "\(inspected.transcript)")
        #expect(report["format"] as? String == "sacoche")
        // `problems` keeps its sentences; `problem_details` gives the same ones with their codes and the ZIP.
        let sentences = try #require(report["problems"] as? [String], "\(report)")
        let details = try #require(report["problem_details"] as? [[String: Any]], "\(report)")
        #expect(!sentences.isEmpty && details.map { $0["message"] as? String } == sentences, "\(report)")
        // The misnamed ZIP under its own code, located at its entry; an establishment's content at the ZIP.
        #expect(details.contains { $0["code"] as? String == "sacoche_bundle.unexpected_entry" }, "\(details)")
        #expect(
            details.allSatisfy { detail in
                let file = (detail["location"] as? [String: Any])?["file"] as? String
                switch detail["code"] as? String {
                case "sacoche_bundle.unexpected_entry": return file == "2016-12-08"
                case "archive.content": return file == bundle.zip
                default: return false
                }
            }, "\(details)")
        let text = try workspace.transfert(["inspect", bundle.zip], hosting: "none")
        #expect(
            text.transcript.contains("entry 2016-12-08 is a ZIP not named dump_SACoche_<id>_<date>_<n>.zip")
                && text.transcript.contains("a ';' was written raw inside a CSV value"), "\(text.transcript)")
        #expect(!text.transcript.contains("manifest.json"))
    }
}
