import Foundation
import Testing

/// The command line in argument-parser's own idioms: `--hosting`, `--json` and `--quiet` are options of the
/// root command, read before or after the subcommand's name; the subcommands are listed in groups; the
/// uploaded files are one inverted flag.
@Suite("The command line's shape")
struct CommandLineShapeTests {
    func error(_ result: ProcessResult) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return try #require(
            object?["error"] as? [String: Any], "not one JSON error object on stdout:\n\(result.transcript)")
    }

    @Test func jsonBeforeTheCommandsNameStillMakesAParseErrorOneJSONObject() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        for arguments in [
            ["--json", "zone", "list", "--bogus"], ["zone", "--json", "list", "--bogus"],
            ["zone", "list", "--bogus", "--json"],
            ["--json", "export", "--ids", "1", "--all"], ["--json", "no-such-command"],
        ] {
            let result = try workspace.transfert(arguments)
            #expect(result.status == 64, "\(arguments): \(result.transcript)")
            let object = try error(result)
            #expect(
                object["code"] as? String == "usage" && object["exit_code"] as? Int == 64, "\(arguments): \(object)")
            // argument-parser's sentence, as on standard error, not the debug text of its error type.
            let message = object["message"] as? String ?? ""
            #expect(!message.contains("CommandError") && result.stderr.contains(message), "\(arguments): \(message)")
        }
        let bogus = try error(try workspace.transfert(["--json", "zone", "list", "--bogus"]))
        #expect((bogus["message"] as? String)?.contains("--bogus") == true, "\(bogus)")
        // Without --json, a parse error is text on standard error only.
        let plain = try workspace.transfert(["zone", "list", "--bogus"])
        #expect(
            plain.status == 64 && plain.stdout.isEmpty && plain.stderr.contains("Unknown option '--bogus'"),
            "\(plain.transcript)")
    }

    @Test func sharedOptionsStandBeforeOrAfterTheCommandsName() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.initHosting("other", name: "serveur-b")
        try workspace.succeed(["zone", "add", "Académie de Besançon"], hosting: "other")
        let shapes: [[String]] = [
            ["--hosting", workspace.path("other"), "--json", "zone", "list"],
            ["zone", "list", "--json", "--hosting", workspace.path("other")],
            ["zone", "--hosting", workspace.path("other"), "list", "--json"],
            ["--json", "-q", "zone", "list", "--hosting=\(workspace.path("other"))"],
        ]
        let answers = try shapes.map { arguments in
            let result = try run(
                transfertBinary, arguments, environment: ["TRANSFERT_HOSTING": workspace.path("hosting")])
            #expect(result.status == 0, "\(arguments): \(result.transcript)")
            return result.stdout
        }
        #expect(Set(answers).count == 1, "\(answers)")
        let zones = try #require(try JSONSerialization.jsonObject(with: Data(answers[0].utf8)) as? [[String: Any]])
        #expect(zones.count == 2, "the hosting --hosting names, not $TRANSFERT_HOSTING's")
        // Given twice, the later --hosting is the one used, wherever each stands.
        let twice = try workspace.succeed(["zone", "list", "--json", "--hosting", workspace.path("other")])
        #expect(twice.stdout == answers[0])
    }

    @Test func helpListsTheCommandsInGroupsAndTheSharedOptions() throws {
        let help = try run(transfertBinary, ["--help"])
        #expect(help.status == 0)
        let groups = [
            "HOSTING SUBCOMMANDS", "ESTABLISHMENTS SUBCOMMANDS", "TRANSFER SUBCOMMANDS",
            "MOVES AND MAINTENANCE SUBCOMMANDS",
            "MAIL SUBCOMMANDS",
        ]
        let positions = groups.map { help.stdout.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(help.stdout)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "in this order")
        for command in [
            "init", "info", "doctor", "serve", "structure", "zone", "stats", "sample", "export", "verify", "inspect",
            "import",
            "confirm", "history", "journal", "lock", "maintenance", "letters", "newsletter", "outbox",
        ] {
            #expect(help.stdout.contains("\n  \(command) "), "\(command) is listed")
        }
        for option in ["--hosting <dir>", "--json", "-q, --quiet"] {
            #expect(help.stdout.contains(option), "\(option)")
        }
    }

    /// argument-parser leaves the root's options out of a subcommand's help: each one names them itself.
    /// The commands are read from the binary's own command tree (`--experimental-dump-help`), so a new
    /// command is checked without being listed here.
    @Test func everySubcommandsHelpNamesTheRootOptions() throws {
        let dump = try run(transfertBinary, ["--experimental-dump-help"])
        #expect(dump.status == 0, "\(dump.transcript)")
        let tree = try #require(
            try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var paths: [[String]] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            if !path.isEmpty { paths.append(path) }
            for child in command["subcommands"] as? [[String: Any]] ?? [] {
                walk(child, path + [child["commandName"] as? String ?? "?"])
            }
        }
        walk(try #require(tree["command"] as? [String: Any]), [])
        #expect(paths.count >= 39, "\(paths)")
        for path in paths where path != ["help"] {
            let help = try run(transfertBinary, path + ["--help"])
            #expect(help.status == 0, "\(path.joined(separator: " ")) --help")
            let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(
                text.contains("--hosting <dir>") && text.contains("--json") && text.contains("-q/--quiet"),
                "\(path.joined(separator: " ")) --help names the root options:\n\(help.stdout)")
        }
    }

    @Test func theUploadedFilesAreOneChoiceWithEverySpelling() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "1", "--students", "3", "--seed", "3"])
        func listing(_ flag: [String], _ out: String) throws -> String {
            try workspace.succeed(["export", "--ids", "1", "--out", workspace.path(out)] + flag)
            let zip = try #require(
                try FileManager.default.contentsOfDirectory(atPath: workspace.path(out)).first { $0.hasSuffix(".zip") })
            return try run(try #require(which("unzip")), ["-l", workspace.path("\(out)/\(zip)")]).stdout
        }
        for (flag, carriesFiles) in [
            ([String](), true), (["--include-files"], true), (["--files"], true), (["--no-files"], false),
            (["--no-include-files"], false),
        ] {
            let text = try listing(flag, "out\(flag.first ?? "")")
            #expect(text.contains("/files/") == carriesFiles, "\(flag): \(text)")
            #expect(text.contains("base_1/000001.sql"))
        }
        let both = try workspace.transfert([
            "export", "--ids", "1", "--include-files", "--no-files", "--out", workspace.path("both"),
        ])
        #expect(
            both.status == 64 && both.stderr.contains("--no-files") && both.stderr.contains("--include-files"),
            "\(both.transcript)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("both")), "refused before anything is written")
    }

    @Test func serveRefusesJSONItWouldIgnore() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        let result = try workspace.transfert(["serve", "--port", "0", "--json"])
        #expect(result.status == 64 && result.stderr.contains("serve has no JSON output"), "\(result.transcript)")
    }
}
