import Foundation
import Testing

/// With `--json`, every failure is one JSON object on standard output: a stable code, the message, the exit
/// code the process returns.
@Suite("JSON errors")
struct JSONErrorTests {
    @Test func everyCommandsFailureIsOneObjectWithAStableCode() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "1", "--students", "2"])
        let cases: [([String], String)] = [
            (["export", "--ids", "99"], "registry.unknown_structure"),
            (["import", "absent.csv", "absent.zip"], "import.invalid"),
            (["verify", "absent.csv", "absent.zip"], "verify.not_verified"),
            (["inspect", "absent.zip"], "bundle_read."),
            (["stats", "--ids", "99"], "registry.unknown_structure"),
            (["journal", "--no-such-option"], "usage"),
            (["doctor", "--no-such-option"], "usage"),
            (["info", "--no-such-option"], "usage"),
            (["sample", "--structures", "0"], "usage"),
            (["outbox", "show", "99"], "outbox"),
            (["outbox", "list", "--no-such-option"], "usage"),
            (["newsletter", "--ids", "99", "--subject", "x", "--body-file", "absent.txt"], "failed"),
            (["structure", "language", "--ids", "1", "de"], "letters.unknown_language"),
            (["structure", "remove", "--ids", "1", "--force"], "failed"),
            (["zone", "list", "--no-such-option"], "usage"),
            (["journal", "--id", "x"], "usage"),
            (["structure", "add", "--uai", "X"], "usage"),
            (["structure", "remove", "--ids", "1"], "failed"),
            (["structure", "show", "99"], "registry.unknown_structure"),
            (["lock", "add", "--ids", "99", "--reason", "x"], "unknown_establishment"),
            (["maintenance", "cancel", "9"], "unknown_window"),
            (["maintenance", "plan", "--ids", "1", "--start", "demain", "--duration", "1h"], "invalid_time"),
            (
                ["maintenance", "plan", "--ids", "1", "--start", "2020-01-01 10:00", "--duration", "1h"],
                "start_in_past"
            ),
            (
                ["maintenance", "plan", "--ids", "1", "--start", "2020-01-01 10:00", "--duration", "1h", "--dry-run"],
                "start_in_past"
            ),
            (["zone", "list", "--hosting", "absent"], "hosting_location.no_hosting"),
            (["confirm", "absent.receipt.json"], "unreadable_receipt"),
            (["history", "--id", "42"], "failed"),
            (["letters", "--ids", "99"], "letter_selection"),
            (["outbox", "send"], "outbox_send"),
            (["zone", "add", ""], "usage"),
            (["serve", "--port", "99999"], "usage"),
            (["init", "--name", "x", "--base-url", "https://x.example.org/"], "hosting"),
            (["structure", "list", "--no-such-option"], "usage"),
        ]
        for (arguments, expected) in cases {
            let result = try workspace.transfert(arguments + ["--json"])
            #expect(result.status != 0, "\(arguments) succeeded")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let error = try #require(
                object?["error"] as? [String: Any], "\(arguments): not one JSON object on stdout:\n\(result.transcript)"
            )
            let code = error["code"] as? String ?? ""
            #expect(code.hasPrefix(expected), "\(arguments): code \(code), expected \(expected)")
            #expect(error["exit_code"] as? Int == Int(result.status), "\(arguments): exit code")
            #expect((error["message"] as? String)?.isEmpty == false)
        }
    }

    /// A failure made of several reasons lists each one under `error.problems`, with its code and place,
    /// beside the message that says them all.
    @Test func failuresMadeOfSeveralListEachReason() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        let letters = try workspace.transfert(["letters", "--ids", "98,99", "--json"])
        let answer = try #require(
            try JSONSerialization.jsonObject(with: Data(letters.stdout.utf8)) as? [String: Any], "\(letters.transcript)"
        )
        let error = try #require(answer["error"] as? [String: Any], "\(answer)")
        #expect(error["code"] as? String == "letter_selection.invalid", "\(error)")
        let problems = try #require(error["problems"] as? [[String: Any]], "\(error)")
        #expect(
            problems.map { $0["code"] as? String } == [
                "letter_selection.unknown_establishment", "letter_selection.unknown_establishment",
            ],
            "\(problems)")
        #expect(problems.map { ($0["location"] as? [String: Any])?["base_id"] as? Int } == [98, 99], "\(problems)")
        #expect(
            (error["message"] as? String)?.contains("no establishment has id 99 on this hosting") == true, "\(error)")

        // A bundle refused as unsafe: the entry under its own code, the ZIP's name in the message.
        let zip = workspace.path("unsafe.zip")
        _ = try run(
            "/usr/bin/python3",
            [
                "-c",
                "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1],'w'); z.writestr('../evil.txt','x'); z.close()", zip,
            ])
        let inspected = try workspace.transfert(["inspect", "--json", zip], hosting: "none")
        let refused = try #require(
            try JSONSerialization.jsonObject(with: Data(inspected.stdout.utf8)) as? [String: Any],
            "\(inspected.transcript)")
        let unsafe = try #require(refused["error"] as? [String: Any], "\(refused)")
        #expect(unsafe["code"] as? String == "bundle_read.unreadable", "\(unsafe)")
        let entries = try #require(unsafe["problems"] as? [[String: Any]], "\(unsafe)")
        #expect(
            entries.contains {
                $0["code"] as? String == "zip.unsafe_name"
                    && ($0["location"] as? [String: Any])?["file"] as? String == "../evil.txt"
            },
            "\(entries)")
    }

    /// Errors that know their place say it: the file, the line, the column or field, the value.
    @Test func locatedFailuresCarryFileLineColumnAndValue() throws {
        let f = try ImportFixture(samples: [(2, 2, 81)], targetStructures: 0)
        // A CSV row that breaks two rules: typed problems with the CSV's path, line, column and value.
        let edited = try f.edited("edited", set: [(2, "UAI", "0750001X"), (3, "Id_Zone", "seven")])
        let refused = try f.workspace.transfert(["import", "--json", edited.csv, edited.zip], hosting: "target")
        #expect(refused.status == 1, "\(refused.transcript)")
        let answer = try #require(
            try JSONSerialization.jsonObject(with: Data(refused.stdout.utf8)) as? [String: Any], "\(refused.stdout)")
        let error = try #require(answer["error"] as? [String: Any])
        #expect(error["code"] as? String == "import.invalid" && error["exit_code"] as? Int == 1, "\(error)")
        let problems = try #require(answer["problems"] as? [[String: Any]])
        let uai = try #require(problems.first { $0["column"] as? String == "UAI" }, "\(problems)")
        #expect(
            uai["code"] as? String == "csv.invalid_value" && uai["line"] as? Int == 2
                && uai["value"] as? String == "0750001X"
                && uai["file"] as? String == edited.csv
                && (uai["establishment"] as? String)?.hasPrefix("base_") == true, "\(uai)")
        // The published flat keys stay, `message` without the place; `location` is added beside them.
        #expect((uai["message"] as? String)?.hasPrefix("line ") == false, "\(uai)")
        let uaiPlace = try #require(uai["location"] as? [String: Any], "\(uai)")
        #expect(
            uaiPlace["field"] as? String == "UAI" && uaiPlace["line"] as? Int == 2
                && uaiPlace["value"] as? String == "0750001X"
                && uaiPlace["file"] as? String == edited.csv, "\(uaiPlace)")
        let zone = try #require(problems.first { $0["column"] as? String == "Id_Zone" }, "\(problems)")
        #expect(zone["line"] as? Int == 3 && zone["value"] as? String == "seven", "\(zone)")

        // A dump refused by the parser: the entry, line and column, under the establishment.
        let hostile = try f.surgery("hostile", "inject", entry: "base_1/000001.sql", "DROP TABLE eleve;")
        let injectedLine = try #require(hostile.answer["line"] as? Int, "\(hostile.answer)")
        let verified = try f.workspace.transfert(
            ["verify", "--deep", "--json", hostile.csv, hostile.zip], hosting: "source")
        #expect(verified.status == 2, "\(verified.transcript)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(verified.stdout.utf8)) as? [String: Any])
        #expect((report["error"] as? [String: Any])?["code"] as? String == "verify.not_verified")
        let all = (report["establishments"] as? [[String: Any]] ?? []).flatMap {
            $0["problems"] as? [[String: Any]] ?? []
        }
        let refusal = try #require(all.first { $0["code"] as? String == "dump.refused" }, "\(all)")
        let place = try #require(refusal["location"] as? [String: Any])
        #expect(
            place["file"] as? String == "base_1/000001.sql" && place["line"] as? Int == injectedLine
                && place["column"] as? Int == 1
                && place["establishment"] as? String == "base_1" && place["base_id"] as? Int == 1, "\(place)")

        // A configuration value: the file and the key.
        let configuration = f.workspace.path("target/transfert.yaml")
        let text = try String(contentsOfFile: configuration, encoding: .utf8)
        #expect(text.contains("language: \"fr\""), "\(text)")
        try text.replacingOccurrences(of: "language: \"fr\"", with: "language: \"de\"").write(
            toFile: configuration, atomically: true, encoding: .utf8)
        let broken = try f.workspace.transfert(["structure", "list", "--json"], hosting: "target")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(broken.stdout.utf8)) as? [String: Any], "\(broken.transcript)")
        let failure = try #require(object["error"] as? [String: Any])
        #expect(failure["code"] as? String == "configuration.invalid_value", "\(failure)")
        let located = try #require(failure["location"] as? [String: Any], "\(failure)")
        #expect(
            located["file"] as? String == configuration && located["field"] as? String == "language"
                && located["value"] as? String == "de", "\(located)")

        // A file that is not YAML: its line and column.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        try (lines.prefix(3).joined(separator: "\n") + "\nsmtp: [unclosed\n").write(
            toFile: configuration, atomically: true, encoding: .utf8)
        let unparsable = try f.workspace.transfert(["structure", "list", "--json"], hosting: "target")
        let syntax = try #require(
            (try JSONSerialization.jsonObject(with: Data(unparsable.stdout.utf8)) as? [String: Any])?["error"]
                as? [String: Any],
            "\(unparsable.transcript)")
        #expect(syntax["code"] as? String == "configuration.syntax", "\(syntax)")
        let mark = try #require(syntax["location"] as? [String: Any], "\(syntax)")
        #expect(
            mark["file"] as? String == configuration && (mark["line"] as? Int ?? 0) >= 4 && mark["column"] != nil,
            "\(mark)")
        #expect(unparsable.stderr.contains("this is not valid YAML"), "\(unparsable.transcript)")
    }
}
