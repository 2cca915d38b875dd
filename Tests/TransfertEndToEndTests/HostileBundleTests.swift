import Foundation
import Testing

/// Issue #15, hostile bundles: `Tests/Tools/hostile_bundles.py` derives over 70 attacks from a valid
/// Transfert bundle and a valid SACoche one (traversal, links, duplicate and twin names, zip bombs, sizes
/// that lie, truncation, CRC and SHA-256 mismatches, bad manifests, SQL outside the format, non-UTF-8
/// bytes, CSV values pointing outside or out of range, and the ZIP structure itself: headers outside the
/// entries, encryption, overlapping records, ZIP64 overflows, many-entry bombs…). Each must be refused by
/// `verify --deep` and by `import` with the words that explain it; nothing may be registered, restored or
/// written outside; memory stays bounded; and no command may hang (each is killed after
/// ``commandTimeLimit``, which then fails the case: a bound on a hang, not a timing of the work).
@Suite("Hostile bundles", .serialized)
struct HostileBundleTests {
    struct Case: Decodable {
        var name: String
        var format: String
        var attack: String
        var csv: String
        var zip: String
        var expect: [String]
        var stages: [String]
        var accepted: Bool?
    }

    /// Peak memory any refusal may take (a whole bundle is never held in memory).
    static let memoryLimitKiB = 300 * 1024
    /// Seconds after which a command is killed (`timeout -s KILL`): a reader waiting for bytes that
    /// never come fails its case instead of blocking the suite.
    static let commandTimeLimit = 120

    @Test func everyAttackIsRefusedWithItsReasonAndLeavesNothing() throws {
        let workspace = try Workspace()
        // The valid Transfert bundle the attacks start from: one establishment with files.
        try workspace.initHosting("source")
        try workspace.succeed(["sample", "--structures", "1", "--students", "5", "--seed", "3"], hosting: "source")
        try workspace.succeed(["export", "--all", "--out", workspace.path("export")], hosting: "source")
        let exported = try #require(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path("export")).first { $0.hasSuffix(".zip") }
        )
        let transfertBundle = workspace.path("export/" + exported.dropLast(4))
        let sacocheBundle = repositoryRoot.appendingPathComponent(
            "Tests/Fixtures/sacoche/three-schools/bases_dump_2017-10-02_14-05-37_1942955373"
        ).path
        let python = try #require(which("python3"))
        let made = try run(
            python,
            [
                repositoryRoot.appendingPathComponent("Tests/Tools/hostile_bundles.py").path, transfertBundle,
                sacocheBundle,
                workspace.path("hostile"),
            ])
        #expect(made.status == 0, "\(made.transcript)")
        let cases = try JSONDecoder().decode(
            [Case].self, from: Data(contentsOf: URL(fileURLWithPath: workspace.path("hostile/cases.json"))))
        #expect(cases.count >= 40)
        #expect(Set(cases.map(\.format)) == ["transfert", "sacoche"])

        try workspace.initHosting("school")
        try workspace.initHosting("sacoche", profile: "Samples/sacoche-profile.yaml")
        try workspace.initHosting("accepting", profile: "Samples/sacoche-profile.yaml")
        let time = try #require(
            which("time") ?? (FileManager.default.isExecutableFile(atPath: "/usr/bin/time") ? "/usr/bin/time" : nil))
        // The table of `Docs/reliability.md`, rewritten by `make test-reliability`.
        var table = [
            "| # | case | format | attack | refused with (any of) | checked by | result |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for (number, attack) in cases.enumerated() {
            var passed = true
            var peaks: [Int] = []
            let hosting = attack.accepted == true ? "accepting" : attack.format == "transfert" ? "school" : "sacoche"
            for stage in attack.stages {
                let arguments =
                    stage == "verify"
                    ? ["verify", "--deep", attack.csv, attack.zip]
                    : ["--hosting", workspace.path(hosting), "import", attack.csv, attack.zip]
                let timed = ["-f", "peak-kib=%M", transfertBinary] + arguments
                let result =
                    try which("timeout").map {
                        try run(
                            $0, ["-s", "KILL", "\(Self.commandTimeLimit)", time] + timed,
                            currentDirectory: workspace.url)
                    }
                    ?? run(time, timed, currentDirectory: workspace.url)
                let output = result.stdout + result.stderr
                let peak =
                    Int(
                        output.components(separatedBy: "peak-kib=").last?.trimmingCharacters(
                            in: .whitespacesAndNewlines) ?? "") ?? 0
                #expect(peak > 0 && peak < Self.memoryLimitKiB, "\(attack.name) \(stage): \(peak) KiB")
                peaks.append(peak)
                let ok: Bool
                if attack.accepted == true {
                    ok = result.status == 0
                    #expect(
                        ok,
                        "\(attack.name) (\(attack.attack)) \(stage): a value is data, never run:\n\(result.transcript)")
                } else {
                    ok =
                        result.status != 0 && attack.expect.contains { output.contains($0) }
                        && !output.contains("Fatal error") && !output.contains("Stack dump")
                    #expect(
                        result.status != 0,
                        "\(attack.name) (\(attack.attack)) \(stage) was not refused:\n\(result.transcript)")
                    #expect(
                        attack.expect.contains { output.contains($0) },
                        "\(attack.name) (\(attack.attack)) \(stage): expected one of \(attack.expect):\n\(result.transcript)"
                    )
                    #expect(
                        !output.contains("Fatal error") && !output.contains("Stack dump"),
                        "\(attack.name): no crash, no stack trace")
                }
                passed = passed && ok && peak < Self.memoryLimitKiB
            }
            let expected =
                attack.accepted == true
                ? "accepted: the SQL is stored as the value it is"
                : attack.expect.map { "“\($0.replacingOccurrences(of: "|", with: "\\|"))”" }.joined(separator: " / ")
            let stages = attack.stages.map { $0 == "verify" ? "verify --deep" : "import" }.joined(separator: ", ")
            let description = attack.attack.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(
                of: "\u{07}", with: "\\x07")
            table.append(
                "| \(number + 1) | `\(attack.name)` | \(attack.format) | \(description) | \(expected) | \(stages) | \(passed ? "passed" : "FAILED") (\(peaks.max() ?? 0) KiB at most) |"
            )
        }
        if let path = ProcessInfo.processInfo.environment["TRANSFERT_RELIABILITY_TABLE"], !path.isEmpty {
            try (table.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        // Nothing registered, restored or written outside.
        for hosting in ["school", "sacoche"] {
            #expect(
                try workspace.sqlite("\(hosting)/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0",
                "\(hosting)")
            #expect(
                ((try? FileManager.default.contentsOfDirectory(atPath: workspace.path("\(hosting)/bases"))) ?? [])
                    .isEmpty, "\(hosting)")
            #expect(
                ((try? FileManager.default.contentsOfDirectory(atPath: workspace.path("\(hosting)/files"))) ?? [])
                    .isEmpty, "\(hosting)")
        }
        for outside in [
            "/tmp/evil.txt", "/tmp/evil.db", workspace.path("evil.txt"), workspace.path("evil.sql"),
            workspace.path("../evil.txt"),
        ] {
            #expect(!FileManager.default.fileExists(atPath: outside), "\(outside) was written")
        }
        // The SQL inside a string value arrived as the value it is.
        let stored = try workspace.sqlite(
            "accepting/bases/base_1.sqlite",
            "SELECT parametre_valeur FROM sacoche_parametre WHERE parametre_nom LIKE 'x%'")
        #expect(stored == "y")
        #expect(
            try workspace.sqlite("accepting/bases/base_1.sqlite", "SELECT COUNT(*) FROM sacoche_user") != "0",
            "sacoche_user was not dropped")
    }
}
