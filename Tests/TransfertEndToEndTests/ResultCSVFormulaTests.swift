import Foundation
import Testing

/// `.result.csv` is opened by people in a spreadsheet, and its names come from someone else's bundle: a
/// value that starts like a formula is written as text (`'` first), checked with Python's `csv` module.
/// The bundle's own CSV keeps its values byte for byte (programs parse it).
@Suite("The result CSV against formula injection")
struct ResultCSVFormulaTests {
    @Test func formulaLikeValuesAreTextInTheResultAndUntouchedInTheBundle() throws {
        let workspace = try Workspace()
        try workspace.initHosting("source")
        try workspace.initHosting("target", name: "serveur-b", baseURL: "https://b.example.org/")
        let denomination = "=HYPERLINK(\"http://evil.example/\";\"Cliquez\")"
        try workspace.succeed(
            [
                "structure", "add", "--uai", "0250010A", "--denomination", denomination, "--localisation=-Besançon",
                "--zone", "1",
                "--contact-nom", "@Lefèvre", "--contact-prenom=+Agnès", "--contact-courriel", "agnes@example.org",
            ], hosting: "source")
        try workspace.succeed(["export", "--all", "--out", workspace.path("out")], hosting: "source")
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path("out"))
        let csv = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".csv") })))
        let zip = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".zip") })))
        try workspace.succeed(["import", csv, zip], hosting: "target")
        let result = zip.replacingOccurrences(of: ".zip", with: ".result.csv")
        let python = try #require(which("python3"))
        let read = try run(
            python,
            [
                "-c",
                """
                import csv, json, sys
                for path in sys.argv[1:]:
                    with open(path, newline='', encoding='utf-8') as f:
                        print(json.dumps(list(csv.DictReader(f, delimiter=';'))[0]))
                """, result, csv,
            ])
        #expect(read.status == 0, "\(read.transcript)")
        let rows = read.stdout.split(separator: "\n").map {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]
        }
        let resultRow = try #require(rows.first ?? nil)
        let bundleRow = try #require(rows.last ?? nil)
        #expect(resultRow["Dénomination"] == "'" + denomination)
        #expect(resultRow["Localisation"] == "'-Besançon")
        #expect(resultRow["Contact_Nom"] == "'@Lefèvre" && resultRow["Contact_Prénom"] == "'+Agnès")
        #expect(
            resultRow["Contact_Courriel"] == "agnes@example.org" && resultRow["Résultat"] == "imported",
            "plain values are kept")
        // Every cell of the result: none starts like a formula.
        #expect(
            resultRow.values.allSatisfy { value in !["=", "+", "-", "@", "\t", "\r"].contains { value.hasPrefix($0) } },
            "\(resultRow)")
        // The bundle's CSV, which SACoche and `import` parse, is written verbatim.
        #expect(bundleRow["Dénomination"] == denomination && bundleRow["Localisation"] == "-Besançon")
        // `letters --result` reads the result back as it was meant.
        let letters = try workspace.succeed(["letters", "--result", result], hosting: "target")
        #expect(!letters.stdout.contains("'=HYPERLINK"), "\(letters.stdout)")
    }
}
