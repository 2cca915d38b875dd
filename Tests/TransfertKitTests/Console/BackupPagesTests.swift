import Foundation
import HTTPTypes
import Testing

@testable import TransfertConsole
@testable import TransfertKit

/// The backups page (issue #28, guide §17–18): manual backups and runs as jobs, the listing read from the
/// backup directory, retention previewed then confirmed, and a restore that needs the target's id typed.
@Suite("Console backups")
struct BackupPagesTests {
    /// The job id a page redirected to (`/jobs/<id>`).
    static func jobID(_ page: ConsolePage) -> String? {
        guard page.status == .seeOther, let location = page.headers[.location], location.hasPrefix("/jobs/") else {
            return nil
        }
        return String(location.dropFirst("/jobs/".count))
    }

    /// A harness whose establishment 1 holds a user, so that a restore has something to bring back.
    static func harness() throws -> ConsoleHarness {
        let harness = try ConsoleHarness(establishments: 1)
        let hosting = harness.hosting
        try hosting.establishments.write(baseID: 1) { writer in
            try writer.run(
                "INSERT INTO users (id, profile, last_name, first_name, login, password_hash) VALUES (1, 'student', 'A', 'A', 'p1', 'x')",
                [])
        }
        return harness
    }

    static func users(_ hosting: Hosting) throws -> Int64 {
        try hosting.establishments.read(baseID: 1) { reader in
            try reader.rows("SELECT COUNT(*) FROM users", [])[0][0].integerValue ?? -1
        }
    }

    @Test("A manual backup made from the form runs as a job, succeeds, and is listed as the last good one")
    func manualBackupFromTheForm() async throws {
        let harness = try Self.harness()
        let services = harness.services
        let hosting = harness.hosting
        try await harness.test { browser in
            try await browser.signIn("marie")
            let page = try await browser.get("/backups")
            #expect(page.status == .ok)
            #expect(page.body.contains("id=\"backup-create-form\""))
            #expect(page.body.contains("id=\"no-backup\""))
            let started = try await browser.post(
                "/backups/create", [("ids", "1"), ("files", "on"), ("note", "avant <la> rentrée")])
            let id = try #require(Self.jobID(started))
            let job = try await services.jobs.wait(for: id)
            #expect(job?.state == .succeeded)
            #expect(job?.kind == "backup-create")
            let result = try await browser.get("/jobs/\(id)")
            #expect(result.body.contains("id=\"backup-create-result\""))
            #expect(result.body.contains("data-verified=\"yes\""))
            let listed = try await browser.get("/backups")
            #expect(listed.body.contains("<tr data-id=\"1\" data-area=\"manual\""))
            #expect(listed.body.contains("class=\"last-good\""))
            #expect(listed.body.contains("avant &lt;la&gt; rentrée"))
            #expect(listed.body.contains("class=\"restore-backup\""))
            #expect(listed.body.contains("<tr data-area=\"manual\" data-count=\"1\">"))
            #expect(listed.body.contains("<tr data-area=\"automatic\" data-count=\"0\">"))
        }
        // Independently of the page: the bundle and its record are in the backup directory's manual area.
        let manual = hosting.directory.appendingPathComponent("backups/manual")
        let names = try FileManager.default.contentsOfDirectory(atPath: manual.path)
        #expect(names.contains { $0.hasSuffix(".zip") })
        #expect(names.contains { $0.hasSuffix(".backup.json") })
    }

    @Test("A form without an establishment, or with an id that is not a number, is refused and starts nothing")
    func createRefusals() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let services = harness.services
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/backups")
            let none = try await browser.post("/backups/create", [("files", "on")])
            #expect(none.status == .unprocessableContent)
            #expect(none.body.contains("id=\"backup-error\""))
            let overflow = try await browser.post("/backups/create", [("ids", "99999999999999999999")])
            #expect(overflow.status == .unprocessableContent)
            let both = try await browser.post(
                "/backups/create", [("ids", "1"), ("without", "users"), ("only", "settings")])
            #expect(both.status == .unprocessableContent)
        }
        #expect(services.jobs.store.recent().isEmpty)
    }

    @Test("The nightly run from the page reports each establishment's outcome")
    func runNow() async throws {
        let harness = try Self.harness()
        let services = harness.services
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/backups")
            let id = try #require(Self.jobID(try await browser.post("/backups/run", [])))
            #expect(try await services.jobs.wait(for: id)?.state == .succeeded)
            let result = try await browser.get("/jobs/\(id)")
            #expect(result.body.contains("id=\"backup-run-result\""))
            #expect(result.body.contains("<tr data-id=\"1\" data-outcome=\"backed_up\">"))
            #expect(result.body.contains("data-backed-up=\"1\""))
        }
    }

    @Test("Restore --replace needs the target's id typed; then it restores and shows the safety backup")
    func restoreNeedsTheTypedID() async throws {
        let harness = try Self.harness()
        let services = harness.services
        let hosting = harness.hosting
        let made = try await services.commands.run(["backup", "create", "--ids", "1"], user: "marie")
        #expect(made.succeeded)
        let name = try #require(BackupDirectory(hosting: hosting).records().records.first?.name)
        // A change after the backup, which the restore takes away.
        try hosting.establishments.write(baseID: 1) { writer in
            try writer.run(
                "INSERT INTO users (id, profile, last_name, first_name, login, password_hash) VALUES (2, 'student', 'B', 'B', 'p2', 'x')",
                [])
        }
        #expect(try Self.users(hosting) == 2)
        try await harness.test { browser in
            try await browser.signIn("marie")
            let form = try await browser.get("/backups/restore?area=manual&name=\(name)")
            #expect(form.status == .ok)
            #expect(form.body.contains("id=\"restore-confirmation\""))
            let fields = [
                ("area", "manual"), ("name", name), ("into", "1"), ("mode", "replace"), ("action", "restore"),
            ]
            let untyped = try await browser.post("/backups/restore", fields)
            #expect(untyped.status == .unprocessableContent)
            #expect(untyped.body.contains("id=\"restore-error\""))
            let wrong = try await browser.post("/backups/restore", fields + [("confirmation", "2")])
            #expect(wrong.status == .unprocessableContent)
            #expect(services.jobs.store.recent().isEmpty)
            #expect(try Self.users(hosting) == 2)
            // Checking only needs no typed id, and changes nothing.
            let check = fields.map { $0.0 == "action" ? ("action", "dry-run") : $0 }
            let checked = try #require(Self.jobID(try await browser.post("/backups/restore", check)))
            #expect(try await services.jobs.wait(for: checked)?.state == .succeeded)
            #expect(try await browser.get("/jobs/\(checked)").body.contains("data-dry-run=\"true\""))
            #expect(try Self.users(hosting) == 2)
            let started = try await browser.post("/backups/restore", fields + [("confirmation", "1")])
            let id = try #require(Self.jobID(started))
            let job = try await services.jobs.wait(for: id)
            #expect(job?.state == .succeeded)
            #expect(job?.arguments.contains("--replace") == true)
            let result = try await browser.get("/jobs/\(id)")
            #expect(result.body.contains("id=\"restore-result\" data-dry-run=\"false\""))
            let safety = try #require(result.body.range(of: "<dd id=\"safety-backup\">"))
            let safetyBackup = result.body[safety.upperBound...].prefix { $0 != "<" }
            #expect(safetyBackup.contains("/backups/manual/sauvegarde-"))
        }
        #expect(try Self.users(hosting) == 1)
        // The safety backup is a backup of its own, listed with the first.
        #expect(BackupDirectory(hosting: hosting).records().records.count == 2)
    }

    @Test("A backup is found by its area and listed name only: anything else is not found")
    func unknownBackups() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        try await harness.test { browser in
            try await browser.signIn("marie")
            for query in ["area=manual&name=..%2F..%2Fregistry", "area=elsewhere&name=x", "name=x", "area=manual"] {
                let page = try await browser.get("/backups/restore?\(query)")
                #expect(page.status == .notFound)
            }
        }
    }

    @Test("Retention is shown first, then applied on confirmation")
    func pruneShowsThenApplies() async throws {
        let harness = try Self.harness()
        try await harness.test { browser in
            try await browser.signIn("marie")
            let preview = try await browser.get("/backups/prune")
            #expect(preview.status == .ok)
            #expect(preview.body.contains("id=\"prune-plan-summary\""))
            let applied = try await browser.post("/backups/prune", [])
            #expect(applied.status == .ok)
            #expect(applied.body.contains("id=\"prune-result\""))
        }
    }

    @Test("An auditor sees the backups but no action, and every change is refused")
    func auditor() async throws {
        let harness = try Self.harness()
        let services = harness.services
        let hosting = harness.hosting
        #expect(try await services.commands.run(["backup", "create", "--ids", "1"], user: "marie").succeeded)
        let name = try #require(BackupDirectory(hosting: hosting).records().records.first?.name)
        try await harness.test { browser in
            try await browser.signIn("paul")
            let page = try await browser.get("/backups")
            #expect(page.status == .ok)
            #expect(page.body.contains("<tr data-id=\"1\" data-area=\"manual\""))
            #expect(!page.body.contains("backup-create-form"))
            #expect(!page.body.contains("restore-backup"))
            let form = try await browser.get("/backups/restore?area=manual&name=\(name)")
            #expect(!form.body.contains("restore-form"))
            for path in ["/backups/create", "/backups/run", "/backups/prune", "/backups/restore"] {
                let refused = try await browser.post(
                    path,
                    [
                        ("ids", "1"), ("area", "manual"), ("name", name), ("into", "1"), ("mode", "replace"),
                        ("confirmation", "1"),
                    ])
                #expect(refused.status == .forbidden)
            }
        }
        #expect(services.jobs.store.recent().isEmpty)
    }
}
