import Foundation
import Testing

/// Every command that takes a bundle's CSV and ZIP recognises, by content, the pair typed the wrong way:
/// swapped ("CSV first, then ZIP"), one file given twice, a ZIP where the CSV goes. Nothing is read further,
/// nothing changes, and with --json the failure is one object with a stable code.
@Suite("Bundle files given the wrong way")
struct BundleFilePairTests {
    @Test func swappedTwiceOrAZIPAsTheCSVIsNamedByEveryCommand() throws {
        let f = try ImportFixture(samples: [(1, 2, 91)], targetStructures: 0)
        let other = f.workspace.path("out/other.csv")
        try FileManager.default.copyItem(atPath: f.zip, toPath: other)
        // A link to the CSV is the same file under another name.
        let linked = f.workspace.path("linked.csv")
        try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: f.csv)
        let commands: [(hosting: String, prefix: [String])] = [
            ("target", ["import"]), ("target", ["import", "--dry-run"]), ("source", ["verify"]),
            ("source", ["verify", "--deep"]),
            ("source", ["structure", "remove", "--ids", "1", "--yes", "--verified-by"]),
        ]
        let cases: [(files: [String], expected: String, code: String)] = [
            (
                [f.zip, f.csv],
                "the arguments are swapped: CSV first, then ZIP. \(f.zip) is a ZIP archive and \(f.csv) is not",
                "bundle_file_pair.swapped"
            ),
            ([f.csv, f.csv], "\(f.csv) was given twice", "bundle_file_pair.same_file"),
            ([f.zip, f.zip], "\(f.zip) was given twice", "bundle_file_pair.same_file"),
            ([linked, f.csv], "was given twice", "bundle_file_pair.same_file"),
            (
                [other, f.zip], "\(other) is a ZIP archive, not the bundle's CSV manifest",
                "bundle_file_pair.zip_instead_of_manifest"
            ),
            (
                [f.zip, f.workspace.path("absent.zip")], "\(f.zip) is a ZIP archive, not the bundle's CSV manifest",
                "bundle_file_pair.zip_instead_of_manifest"
            ),
        ]
        for (hosting, prefix) in commands {
            for (files, expected, code) in cases {
                let text = try f.workspace.transfert(prefix + files, hosting: hosting)
                #expect(text.status == 1, "\(prefix) \(files): \(text.transcript)")
                #expect(text.stderr.contains(expected), "\(prefix) \(files): \(text.transcript)")
                #expect(
                    !text.stderr.lowercased().contains("damaged") && !text.stderr.contains("Fatal error"),
                    "\(text.transcript)")
                let json = try f.workspace.transfert(prefix + files + ["--json"], hosting: hosting)
                #expect(json.status == 1, "\(json.transcript)")
                let error = try #require(
                    (try f.workspace.json(json) as? [String: Any])?["error"] as? [String: Any],
                    "\(prefix) \(files): \(json.transcript)")
                #expect(error["code"] as? String == code, "\(prefix) \(files): \(error)")
            }
        }
        // inspect takes [CSV] ZIP by name; a ZIP named .csv beside it is named too.
        let inspected = try f.workspace.transfert(["inspect", other, f.zip], hosting: "source")
        #expect(
            inspected.status == 1 && inspected.stderr.contains("\(other) is a ZIP archive"), "\(inspected.transcript)")
        // Nothing changed: the target holds nothing, the source still holds its establishment.
        #expect(try f.workspace.sqlite("target/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0")
        #expect(try f.workspace.sqlite("source/registry.sqlite", "SELECT COUNT(*) FROM structure") == "1")
        // The right order still works.
        try f.workspace.succeed(["import", f.csv, f.zip], hosting: "target")
    }
}
