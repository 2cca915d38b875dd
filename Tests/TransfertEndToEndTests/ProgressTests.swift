import Foundation
import Testing

/// What a command run on a terminal printed, and what the terminal shows once it is over.
struct TerminalRun {
    var status: Int
    /// Every byte written to the terminal, progress redraws included.
    var transcript: String
    /// The screen afterwards: redraws and cleared lines applied as a terminal applies them.
    var screen: [String]

    static let eraseLine = "\u{1B}[K"

    /// The progress lines drawn, in order (each redraw starts with a carriage return and an erase).
    var progressLines: [String] {
        transcript.components(separatedBy: "\r" + Self.eraseLine).dropFirst()
            .map { $0.components(separatedBy: CharacterSet(charactersIn: "\r\n")).first ?? "" }
            .filter { !$0.isEmpty }
    }
}

extension Workspace {
    /// Runs `transfert --hosting <hosting> <arguments>` on a pseudo-terminal `columns` wide
    /// (`Tests/Tools/terminal_run.py`, Python's `pty`).
    /// With `answer`, it is typed when the command asks for confirmation.
    func onTerminal(_ arguments: [String], hosting: String = "hosting", columns: Int = 200, answer: String? = nil)
        throws -> TerminalRun
    {
        let python = try #require(which("python3"), "python3 must be installed")
        let tool = repositoryRoot.appendingPathComponent("Tests/Tools/terminal_run.py").path
        let result = try run(
            python,
            [tool, "--columns", String(columns), "--timeout", "60"] + (answer.map { ["--answer", $0] } ?? [])
                + ["--", transfertBinary, "--hosting", path(hosting)] + arguments,
            currentDirectory: url)
        try #require(result.status == 0, "terminal_run.py failed:\n\(result.transcript)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        return TerminalRun(
            status: try #require(object["status"] as? Int), transcript: try #require(object["transcript"] as? String),
            screen: try #require(object["screen"] as? [String]))
    }
}

/// Long work shows a progress line on a terminal — establishment k of n, bytes done and in all, rate,
/// time left — redrawn in place and cleared at the end, never mixed with the results; off when standard
/// error is not a terminal, with --quiet and with --json; `--progress json` streams events for scripts.
@Suite("Progress on a terminal")
struct ProgressTests {
    /// Three establishments of 300 students: long enough for several redraws of each command.
    static func fixture() throws -> ImportFixture {
        try ImportFixture(samples: [(3, 300, 61)], targetStructures: 0)
    }

    @Test func importShowsEstablishmentsBytesRateAndTimeLeftThenAnIntactTable() throws {
        let f = try Self.fixture()
        let run = try f.workspace.onTerminal(["import", f.csv, f.zip], hosting: "target")
        #expect(run.status == 0, "\(run.transcript)")
        let lines = run.progressLines
        #expect(lines.contains { $0.hasPrefix("import  1/3 establishments · ") }, "\(lines)")
        #expect(
            lines.contains {
                $0.range(
                    of: #"^import  [1-3]/3 establishments · [0-9.]+ of [0-9.]+ MiB · [0-9.]+ [KM]iB/s"#,
                    options: .regularExpression) != nil
            },
            "bytes done of the total and the rate: \(lines)")
        #expect(lines.contains { $0.contains(" left") }, "time left: \(lines)")
        #expect(
            lines.contains {
                $0.contains("Lycée") || $0.contains("Collège") || $0.contains("École") || $0.contains("Cité")
            },
            "the establishment being restored, accents intact: \(lines)")
        // Afterwards the screen holds the results only: no leftover of the progress line, the table whole.
        #expect(!run.screen.contains { $0.contains("establishments · ") }, "\(run.screen)")
        let header = try #require(run.screen.firstIndex { $0.hasPrefix("Id  Structure") }, "\(run.screen)")
        let rows = run.screen[(header + 2)...].prefix { !$0.isEmpty }
        #expect(rows.count == 3 && rows.allSatisfy { $0.contains("imported (") }, "\(run.screen)")
        #expect(run.screen.contains("3 imported, 0 failed, 0 already there."), "\(run.screen)")
        // The same rows as a run without a terminal prints.
        try f.workspace.initHosting("plain", name: "target", baseURL: "https://b.example.org/sacoche/")
        let plain = try f.workspace.transfert(
            ["import", f.csv, f.zip, "--result", f.workspace.path("plain.result.csv")], hosting: "plain")
        #expect(
            plain.status == 0 && !plain.stderr.contains("\u{1B}") && !plain.stdout.contains("\u{1B}"),
            "\(plain.transcript)")
        #expect(plain.stdout.contains { $0 == "\r" } == false)
    }

    @Test func exportVerifySampleAndLettersShowTheirLineAndClearIt() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        let sample = try workspace.onTerminal(["sample", "--structures", "3", "--students", "300", "--seed", "62"])
        #expect(sample.status == 0)
        #expect(
            sample.progressLines.contains { $0.hasPrefix("sample  ") && $0.contains("/3 establishments") },
            "\(sample.progressLines)")
        // Lines printed while the work goes on are printed above the progress line, whole.
        #expect(
            sample.screen.filter { $0.hasPrefix("Added ") }.count == 3 && sample.screen.count == 3, "\(sample.screen)")

        let export = try workspace.onTerminal(["export", "--all", "--out", workspace.path("out")])
        #expect(export.status == 0, "\(export.transcript)")
        #expect(
            export.progressLines.contains {
                $0.range(of: #"^export  [1-3]/3 establishments · [0-9.]+ MiB"#, options: .regularExpression) != nil
            },
            "\(export.progressLines)")
        #expect(
            export.screen.first?.hasPrefix("Id  Dénomination") == true,
            "the table starts on a clean line: \(export.screen)")
        #expect(!export.screen.contains { $0.contains("establishments · ") }, "\(export.screen)")

        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path("out")).sorted()
        let csv = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".csv") })))
        let zip = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".zip") })))
        let verify = try workspace.onTerminal(["verify", "--deep", csv, zip])
        #expect(verify.status == 0, "\(verify.transcript)")
        #expect(
            verify.progressLines.contains {
                $0.range(of: #"^verify  [1-3]/3 establishments · [0-9.]+ of [0-9.]+ MiB"#, options: .regularExpression)
                    != nil
            },
            "\(verify.progressLines)")
        #expect(verify.screen.filter { $0.hasSuffix("  OK") }.count == 3, "\(verify.screen)")
        #expect(verify.screen.last == "Verdict: VERIFIED (deep): 3 establishments OK.", "\(verify.screen)")

        let letters = try workspace.onTerminal(["letters", "--ids", "1,2,3"])
        #expect(letters.status == 0, "\(letters.transcript)")
        #expect(
            letters.progressLines.contains { $0.hasPrefix("letters  ") && $0.contains("/3 letters") },
            "\(letters.progressLines)")
        #expect(letters.screen.contains { $0.hasPrefix("3 letters written to ") }, "\(letters.screen)")
    }

    @Test func aNarrowTerminalGetsALineCutToItsWidthNeverWrapped() throws {
        let f = try Self.fixture()
        let run = try f.workspace.onTerminal(["verify", "--deep", f.csv, f.zip], hosting: "source", columns: 40)
        #expect(run.status == 0)
        #expect(!run.progressLines.isEmpty && run.progressLines.allSatisfy { $0.count <= 39 }, "\(run.progressLines)")
        #expect(!run.screen.contains { $0.contains("establishments") && $0.contains("/3") }, "\(run.screen)")
    }

    @Test func quietJSONAndAPipeShowNoProgress() throws {
        let f = try Self.fixture()
        let quiet = try f.workspace.onTerminal(["verify", "--deep", "--quiet", f.csv, f.zip], hosting: "source")
        #expect(quiet.status == 0 && !quiet.transcript.contains(TerminalRun.eraseLine), "\(quiet.transcript)")
        let json = try f.workspace.onTerminal(["verify", "--json", f.csv, f.zip], hosting: "source")
        #expect(json.status == 0 && !json.transcript.contains(TerminalRun.eraseLine), "\(json.transcript)")
        let off = try f.workspace.onTerminal(["import", "--progress", "off", f.csv, f.zip], hosting: "target")
        #expect(off.status == 0 && !off.transcript.contains(TerminalRun.eraseLine), "\(off.transcript)")
        // Standard error a pipe (the test runner's): nothing but the results.
        let piped = try f.workspace.transfert(["verify", "--deep", f.csv, f.zip], hosting: "source")
        #expect(piped.status == 0 && piped.stderr.isEmpty, "\(piped.stderr)")
    }

    @Test func progressJSONStreamsOneObjectPerEventOnStandardError() throws {
        let f = try Self.fixture()
        let result = try f.workspace.transfert(
            ["import", "--json", "--progress", "json", f.csv, f.zip], hosting: "target")
        #expect(result.status == 0, "\(result.transcript)")
        // Standard output is still the report alone.
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stdout)")
        #expect((report["establishments"] as? [Any])?.count == 3)
        let events = try result.stderr.split(separator: "\n").map { line in
            try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
        }
        let kinds = events.compactMap { $0["event"] as? String }
        #expect(kinds.first == "began" && kinds.last == "ended", "\(kinds)")
        #expect(
            kinds.filter { $0 == "item_started" }.count == 3 && kinds.filter { $0 == "item_finished" }.count == 3,
            "\(kinds)")
        let began = try #require(events.first)
        #expect(
            began["task"] as? String == "import" && began["total_items"] as? Int == 3
                && began["unit"] as? String == "bytes")
        let total = try #require(began["total_amount"] as? Int)
        #expect(total > 3 * 1_000_000, "the dumps' bytes: \(began)")
        let finished = events.filter { $0["event"] as? String == "item_finished" }
        #expect(
            finished.allSatisfy {
                $0["outcome"] as? String == "imported" && ($0["label"] as? String)?.contains("|") == true
            }, "\(finished)")
        let ended = try #require(events.last)
        #expect(ended["done_items"] as? Int == 3 && ended["done_amount"] as? Int == total, "\(ended)")
        // Indexes count from 1, each started once and finished once.
        #expect(Set(finished.compactMap { $0["index"] as? Int }) == [1, 2, 3])
    }
}
