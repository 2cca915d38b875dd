import Foundation
import Testing

/// The operations log (`log/transfert.log`): one JSON line per command that changes something, with who,
/// what, on which establishments, the outcome and the duration — and never a secret.
@Suite("The operations log")
struct OperationLogTests {
    func lines(_ workspace: Workspace, _ hosting: String = "hosting") throws -> [[String: Any]] {
        let text = try String(contentsOfFile: workspace.path("\(hosting)/log/transfert.log"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON line: \(line)")
        }
    }

    @Test func everyChangeIsRecordedWithWhoWhatWhereAndHowItEnded() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "2", "--students", "3"])
        try workspace.succeed(["lock", "add", "--ids", "2", "--reason", "Transfert « B »"])
        let refused = try workspace.transfert([
            "maintenance", "plan", "--ids", "9", "--start", "now", "--duration", "1h",
        ])
        #expect(refused.status != 0)
        try workspace.succeed(["structure", "list"])  // reads only: not logged
        try workspace.succeed(["export", "--ids", "1,2", "--out", workspace.path("out")])

        let log = try lines(workspace)
        #expect(log.map { $0["command"] as? String } == ["init", "sample", "lock add", "maintenance plan", "export"])
        let user = try run("/usr/bin/id", ["-un"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for line in log {
            #expect(line["user"] as? String == (ProcessInfo.processInfo.environment["SUDO_USER"] ?? user))
            #expect((line["host"] as? String)?.isEmpty == false)
            #expect(line["at"] as? String != nil && Double(line["duration_seconds"] as? String ?? "") != nil)
        }
        #expect(log[2]["establishments"] as? [String] == ["2"])
        // The command line as typed, --hosting included wherever it stood (the workspace gives it first).
        #expect(
            log[2]["arguments"] as? [String] == [
                "--hosting", workspace.path("hosting"), "lock", "add", "--ids", "2", "--reason", "Transfert « B »",
            ],
            "accents kept")
        #expect(log[3]["outcome"] as? String == "failed" && log[3]["level"] as? String == "error")
        #expect((log[3]["error"] as? String)?.contains("no establishment has id 9") == true)
        #expect(log[4]["outcome"] as? String == "succeeded" && log[4]["establishments"] as? [String] == ["1", "2"])
        let mode =
            try FileManager.default.attributesOfItem(atPath: workspace.path("hosting/log/transfert.log"))[
                .posixPermissions] as? Int
        #expect(mode == 0o600, "owner-only: it names people and establishments")
    }

    @Test func verbosePrintsTheLineOnStandardError() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        let result = try workspace.succeed(["zone", "add", "Académie de Besançon", "--verbose"])
        let line = try #require(result.stderr.split(separator: "\n").last)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["command"] as? String == "zone add" && object["outcome"] as? String == "succeeded")
        #expect(
            !(try workspace.succeed(["zone", "add", "Autre"]).stderr.contains("\"command\"")), "quiet without --verbose"
        )
    }

    @Test func secretsNeverReachTheLog() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "1", "--students", "2"])
        // A relay whose password is in transfert.yaml, and that refuses to answer: the failure is logged.
        let configuration = workspace.path("hosting/transfert.yaml")
        let text = try String(contentsOfFile: configuration, encoding: .utf8)
        try
            (text
            + "\nsmtp:\n  host: \"127.0.0.1\"\n  port: 9\n  security: none\n  username: \"webmestre\"\n  password: \"S3cret-Pw\"\n  attempts: 1\n")
            .write(toFile: configuration, atomically: true, encoding: .utf8)
        try workspace.succeed(["letters", "--ids", "1"])
        _ = try workspace.transfert(["outbox", "send", "--verbose"])
        let raw = try String(contentsOfFile: workspace.path("hosting/log/transfert.log"), encoding: .utf8)
        #expect(raw.contains("\"outbox send\""))
        #expect(!raw.contains("S3cret-Pw"))
    }
}
