import Foundation
import Testing

/// Destructive commands say what they will destroy and wait for the answer on a terminal; anything but
/// the expected answer changes nothing; `--yes` never asks; without a terminal nobody can answer, and
/// they refuse unless `--yes` says the script means it.
@Suite("Confirmations on a terminal")
struct ConfirmationTests {
    func establishments(_ workspace: Workspace) throws -> String {
        try workspace.sqlite(
            "hosting/registry.sqlite",
            "SELECT group_concat(base_id) FROM (SELECT base_id FROM structure ORDER BY base_id)")
    }

    @Test func removingAsksAndOnlyTheRightAnswerRemoves() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "3", "--students", "2", "--seed", "71"])
        try workspace.succeed(["export", "--ids", "1,2", "--out", workspace.path("out")])
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path("out")).sorted()
        let csv = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".csv") })))
        let zip = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".zip") })))

        for answer in ["no", "", "y"] {
            let refused = try workspace.onTerminal(
                ["structure", "remove", "--ids", "1", "--verified-by", csv, zip], answer: answer)
            #expect(refused.status == 1, "\(refused.transcript)")
            #expect(
                refused.screen.contains { $0.hasPrefix("This deletes the databases, files and registry rows of") },
                "\(refused.screen)")
            #expect(
                refused.screen.contains { $0.hasPrefix("  1  ") && $0.contains("|") },
                "the establishment is named: \(refused.screen)")
            #expect(refused.screen.contains("Error: Not confirmed: nothing was removed."), "\(refused.screen)")
            #expect(try establishments(workspace) == "1,2,3")
            #expect(FileManager.default.fileExists(atPath: workspace.path("hosting/bases/base_1.sqlite")))
        }
        let removed = try workspace.onTerminal(
            ["structure", "remove", "--ids", "1", "--verified-by", csv, zip], answer: "yes")
        #expect(removed.status == 0, "\(removed.transcript)")
        #expect(removed.screen.contains { $0.hasPrefix("Removed establishment 1: ") }, "\(removed.screen)")
        #expect(try establishments(workspace) == "2,3")
        #expect(!FileManager.default.fileExists(atPath: workspace.path("hosting/bases/base_1.sqlite")))

        // --yes: no question, on a terminal too.
        let yes = try workspace.onTerminal(["structure", "remove", "--ids", "2", "--verified-by", csv, zip, "--yes"])
        #expect(yes.status == 0 && !yes.transcript.contains("to continue"), "\(yes.transcript)")
        #expect(try establishments(workspace) == "3")
    }

    @Test func forceWantsTheIdsTypedOrYesInAScript() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "2", "--students", "2", "--seed", "72"])
        let wrong = try workspace.onTerminal(["structure", "remove", "--ids", "1,2", "--force"], answer: "yes")
        #expect(
            wrong.status == 1 && wrong.screen.contains { $0.hasPrefix("Type 1,2 to continue: ") }, "\(wrong.screen)")
        #expect(try establishments(workspace) == "1,2")
        // A script without --yes is refused; with it, the removal goes on.
        let script = try workspace.transfert(["structure", "remove", "--ids", "1", "--force"])
        #expect(
            script.status == 1 && script.stderr.contains("add --yes if this script means it"), "\(script.transcript)")
        #expect(try establishments(workspace) == "1,2")
        try workspace.succeed(["structure", "remove", "--ids", "1", "--force", "--yes"])
        let typed = try workspace.onTerminal(["structure", "remove", "--ids", "2", "--force"], answer: "2")
        #expect(typed.status == 0, "\(typed.transcript)")
        #expect(try establishments(workspace).isEmpty)
    }

    @Test func cancellingAWindowAndReleasingALockAsk() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "1", "--students", "2", "--seed", "73"])
        try workspace.succeed(["maintenance", "plan", "--ids", "1", "--start", "2031-12-01 13:00", "--duration", "45m"])
        let kept = try workspace.onTerminal(["maintenance", "cancel", "1"], answer: "")
        #expect(
            kept.status == 1 && kept.screen.contains { $0.hasPrefix("This cancels maintenance window 1 (") },
            "\(kept.screen)")
        #expect(
            try workspace.sqlite(
                "hosting/registry.sqlite", "SELECT cancelled_at IS NULL FROM maintenance_window WHERE id = 1") == "1")
        let cancelled = try workspace.onTerminal(["maintenance", "cancel", "1"], answer: "yes")
        #expect(cancelled.status == 0, "\(cancelled.transcript)")
        #expect(
            try workspace.sqlite(
                "hosting/registry.sqlite", "SELECT cancelled_at IS NOT NULL FROM maintenance_window WHERE id = 1")
                == "1")

        try workspace.succeed(["lock", "add", "--ids", "1", "--reason", "Travaux"])
        let locked = try workspace.onTerminal(["lock", "release", "--ids", "1"], answer: "non")
        #expect(
            locked.status == 1 && locked.screen.contains("Error: Not confirmed: no lock was released."),
            "\(locked.screen)")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM access_lock") == "1")
        let released = try workspace.onTerminal(["lock", "release", "--ids", "1", "--yes"])
        #expect(released.status == 0 && !released.transcript.contains("to continue"), "\(released.transcript)")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM access_lock") == "0")
    }

    @Test func withoutATerminalTheyRefuseUnlessTheScriptSaysYes() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "2", "--students", "2", "--seed", "74"])
        try workspace.succeed(["export", "--ids", "1", "--out", workspace.path("out")])
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path("out")).sorted()
        let csv = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".csv") })))
        let zip = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".zip") })))
        try workspace.succeed(["maintenance", "plan", "--ids", "2", "--start", "2031-12-01 13:00", "--duration", "45m"])
        try workspace.succeed(["lock", "add", "--ids", "2", "--reason", "Travaux"])
        for arguments in [
            ["structure", "remove", "--ids", "1", "--verified-by", csv, zip], ["maintenance", "cancel", "1"],
            ["lock", "release", "--ids", "2"],
        ] {
            let refused = try workspace.transfert(arguments)
            #expect(
                refused.status == 1 && refused.stderr.contains("standard input is not a terminal: nothing was changed")
                    && refused.stderr.contains("add --yes"), "\(arguments): \(refused.transcript)")
            let json = try workspace.transfert(arguments + ["--json"])
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.transcript)")
            #expect((object["error"] as? [String: Any])?["exit_code"] as? Int == 1, "\(object)")
        }
        #expect(try establishments(workspace) == "1,2")
        #expect(
            try workspace.sqlite(
                "hosting/registry.sqlite", "SELECT COUNT(*) FROM maintenance_window WHERE cancelled_at IS NULL") == "1")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM access_lock") == "1")
        // The same with --yes: done.
        try workspace.succeed(["structure", "remove", "--ids", "1", "--verified-by", csv, zip, "--yes"])
        try workspace.succeed(["maintenance", "cancel", "1", "--yes"])
        try workspace.succeed(["lock", "release", "--ids", "2", "--yes"])
        #expect(try establishments(workspace) == "2")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM access_lock") == "0")
    }
}
