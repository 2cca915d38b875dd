import Foundation
import Testing

/// `--dry-run` checks everything a command would do and changes nothing.
@Suite("Dry runs")
struct DryRunTests {
    @Test func planningADryRunChecksEverythingAndPlansNothing() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "2", "--students", "2"])
        let dry = try workspace.succeed([
            "maintenance", "plan", "--ids", "1", "--start", "2031-12-01 13:00", "--duration", "45m", "--dry-run",
        ])
        #expect(dry.stdout.contains("Dry run: would plan maintenance window (database, planned) for establishment 1"))
        #expect(dry.stdout.contains("aura lieu entre le 01/12/2031 à 13:00 et le 01/12/2031 à 13:45"))
        #expect(dry.stdout.contains("Nothing was planned"))
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM maintenance_window") == "0")
        // It refuses what planning refuses.
        try workspace.succeed(["maintenance", "plan", "--ids", "1", "--start", "2031-12-01 13:00", "--duration", "45m"])
        let overlap = try workspace.transfert([
            "maintenance", "plan", "--ids", "1,2", "--start", "2031-12-02 13:00", "--duration", "1h", "--dry-run",
        ])
        #expect(overlap.status != 0 && overlap.stderr.contains("already has maintenance window 1"))
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM maintenance_window") == "1")
    }

    @Test func sendingADryRunListsTheLettersAndConnectsToNothing() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "2", "--students", "2"])
        try workspace.succeed(["letters", "--ids", "1,2"])
        let noRelay = try workspace.transfert(["outbox", "send", "--dry-run"])
        #expect(noRelay.status != 0 && noRelay.stderr.contains("no smtp: section"))
        // A relay nobody listens on: a real send would fail; the dry run does not try.
        let configuration = workspace.path("hosting/transfert.yaml")
        try
            (try String(contentsOfFile: configuration, encoding: .utf8)
            + "\nsmtp:\n  host: \"127.0.0.1\"\n  port: 9\n  security: none\n")
            .write(toFile: configuration, atomically: true, encoding: .utf8)
        let dry = try workspace.succeed(["outbox", "send", "--dry-run"])
        #expect(dry.stdout.contains("Dry run: 2 letters would be delivered through"))
        #expect(
            try workspace.sqlite(
                "hosting/registry.sqlite", "SELECT state || ':' || attempts FROM outbox_message ORDER BY file")
                == "pending:0\npending:0")
        let json = try #require(
            try JSONSerialization.jsonObject(
                with: Data(try workspace.succeed(["outbox", "send", "--dry-run", "--json"]).stdout.utf8)) as? [Any])
        #expect(json.count == 2)
    }

    @Test func removingADryRunChecksTheProofAndRemovesNothing() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "2", "--students", "2"])
        try workspace.succeed(["export", "--ids", "1", "--keep-locked", "--out", workspace.path("out")])
        let zip = try #require(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path("out")).first { $0.hasSuffix(".zip") })
        let bundle = workspace.path("out") + "/" + zip.dropLast(4)
        let dry = try workspace.succeed([
            "structure", "remove", "--ids", "1", "--verified-by", bundle + ".csv", bundle + ".zip", "--dry-run",
        ])
        #expect(dry.stdout.contains("Dry run: would remove establishment 1"))
        // The proof is checked as for real: establishment 2 is not in the bundle.
        let unproved = try workspace.transfert([
            "structure", "remove", "--ids", "1,2", "--verified-by", bundle + ".csv", bundle + ".zip", "--dry-run",
        ])
        #expect(
            unproved.status != 0 && unproved.stderr.contains("establishment 2")
                && unproved.stderr.contains("not in this bundle"))
        // --force --dry-run needs no terminal: it asks nothing and removes nothing.
        let forced = try workspace.succeed(["structure", "remove", "--ids", "2", "--force", "--dry-run"])
        #expect(forced.stdout.contains("would remove establishment 2"))
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure") == "2")
        #expect(FileManager.default.fileExists(atPath: workspace.path("hosting/bases/base_1.sqlite")))
        #expect(
            try workspace.sqlite(
                "hosting/registry.sqlite", "SELECT COUNT(*) FROM transfer_journal WHERE event = 'removed'") == "0")
    }

    @Test func doctorsDryRunSaysWhatItWouldCleanAndCleansNothing() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "2", "--students", "2"])
        // What a killed process leaves: a stale lock of another host, a half-imported establishment.
        _ = try workspace.sqlite(
            "hosting/registry.sqlite",
            """
            INSERT INTO structure_lock (base_id, kind, message, owner_pid, owner_host, created_at, refreshed_at)
            VALUES (1, 'backup', 'Sauvegarde', 999999, 'autre-hote', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z');
            UPDATE structure SET status = 'importing' WHERE base_id = 2;
            """)
        let dry = try workspace.succeed(["doctor", "--dry-run"])
        #expect(dry.stdout.contains("Would clean: stale backup lock of establishment 1"))
        #expect(dry.stdout.contains("Would clean: establishment 2") && dry.stdout.contains("would be removed"))
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "1")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure") == "2")
        let json = try #require(
            try JSONSerialization.jsonObject(
                with: Data(try workspace.succeed(["doctor", "--dry-run", "--json"]).stdout.utf8)) as? [String: Any])
        #expect(json["dry_run"] as? Bool == true && (json["cleaned"] as? [String])?.count == 2)
        let real = try workspace.succeed(["doctor"])
        #expect(real.stdout.contains("Cleaned: establishment 2") && real.stdout.contains("was cleared"))
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure") == "1")
    }
}
