import Foundation
import HTTPTypes
import Testing

@testable import TransfertConsole
@testable import TransfertKit

/// The SIS feeds page (issue #28, guide §19): an upload is always tried first (each row's outcome with
/// its line and field), then applied as a job; the mass-disable guard is passed only when ticked; every
/// value from the file is shown escaped; an auditor reads and changes nothing.
@Suite("Console feeds")
struct FeedPagesTests {
    /// One establishment with courses c1, c2 (and one whose name is markup) and persons p1, p2, t1.
    static func harness() throws -> ConsoleHarness {
        let harness = try ConsoleHarness(establishments: 1)
        try harness.hosting.establishments.write(baseID: 1) { writer in
            try writer.run(
                "INSERT INTO user_groups (id, kind, name) VALUES (1, 'class', 'c1'), (2, 'class', 'c2'), (3, 'class', '<b>c3</b>')",
                [])
            try writer.run(
                """
                INSERT INTO users (id, profile, last_name, first_name, login, password_hash) VALUES
                (1, 'student', 'A', 'A', 'p1', 'x'), (2, 'student', 'B', 'B', 'p2', 'x'), (3, 'staff', 'C', 'C', 't1', 'x')
                """, [])
        }
        return harness
    }

    static func memberships(_ hosting: Hosting) throws -> [String] {
        try hosting.establishments.read(baseID: 1) { reader in
            try reader.rows("SELECT group_id, user_id FROM memberships ORDER BY group_id, user_id", []).map {
                "\($0[0].integerValue ?? 0)-\($0[1].integerValue ?? 0)"
            }
        }
    }

    static func file(_ lines: [String]) -> [UInt8] { Array((lines.joined(separator: "\n") + "\n").utf8) }

    /// The apply form's fields, as the dry run's page wrote them.
    static func applyFields(_ page: ConsolePage) throws -> [(String, String)] {
        let form = try #require(page.body.range(of: "id=\"feed-apply-form\""))
        let rest = page.body[form.upperBound...]
        let end = rest.range(of: "</form>")?.lowerBound ?? rest.endIndex
        var fields: [(String, String)] = []
        var text = rest[..<end]
        while let input = text.range(of: "<input type=\"hidden\" name=\"") {
            let after = text[input.upperBound...]
            let name = String(after.prefix { $0 != "\"" })
            guard let value = after.range(of: "value=\"") else { break }
            fields.append((name, String(after[value.upperBound...].prefix { $0 != "\"" })))
            text = after[value.upperBound...]
        }
        return fields.filter { $0.0 != "csrf" }
    }

    @Test("A dry run shows each row's outcome and a bad row's line and field, applies nothing; apply runs it as a job")
    func dryRunThenApply() async throws {
        let harness = try Self.harness()
        let services = harness.services
        let hosting = harness.hosting
        try await harness.test { browser in
            try await browser.signIn("marie")
            let page = try await browser.get("/feeds?id=1")
            #expect(page.body.contains("id=\"feed-upload-form\""))
            #expect(page.body.contains("id=\"feed-state-empty\""))
            let dry = try await browser.upload(
                "/feeds/upload",
                files: [
                    (
                        "file", "membres.txt",
                        Self.file([
                            "EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|ROLE", "c1|p1|Student", "c2|p2|Student",
                            "c9|p1|Student",
                        ])
                    )
                ],
                fields: [("id", "1"), ("format", "snapshot"), ("operation", "store"), ("integration", "sis")])
            #expect(dry.status == .ok)
            #expect(dry.body.contains("<tr data-kind=\"created\" data-line=\"2\">"))
            #expect(dry.body.contains("<tr data-kind=\"created\" data-line=\"3\">"))
            #expect(dry.body.contains("<tr data-kind=\"failed\" data-line=\"4\" class=\"failure\">"))
            #expect(dry.body.contains("EXTERNAL_COURSE_KEY"))
            #expect(dry.body.contains("data-created=\"2\""))
            #expect(dry.body.contains("data-failed=\"1\""))
            #expect(try Self.memberships(hosting) == [])
            let fields = try Self.applyFields(dry)
            #expect(fields.contains { $0.0 == "upload" })
            let started = try await browser.post("/feeds/apply", fields)
            let id = try #require(BackupPagesTests.jobID(started))
            let job = try await services.jobs.wait(for: id)
            // Exit 3: one row failed, the others were applied.
            #expect(job?.exitCode == 3)
            #expect(job?.kind == "feed")
            let result = try await browser.get("/jobs/\(id)")
            #expect(result.body.contains("id=\"feed-partial\""))
            #expect(result.body.contains("<tr data-kind=\"failed\" data-line=\"4\""))
            let state = try await browser.get("/feeds?id=1")
            #expect(state.body.contains("<tr data-course=\"c1\" data-person=\"p1\" data-status=\"enabled\">"))
        }
        #expect(try Self.memberships(hosting) == ["1-1", "2-2"])
    }

    @Test("Markup in a feed's values is shown escaped, in the report and in the state")
    func valuesAreEscaped() async throws {
        let harness = try Self.harness()
        let services = harness.services
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/feeds?id=1")
            let dry = try await browser.upload(
                "/feeds/upload",
                files: [
                    (
                        "file", "x.txt",
                        Self.file([
                            "EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|ROLE", "<b>c3</b>|p1|Student",
                            "<img src=x onerror=alert(1)>|p2|Student", "c1|p2|<script>alert(1)</script>",
                        ])
                    )
                ],
                fields: [("id", "1"), ("format", "snapshot"), ("operation", "store")])
            #expect(dry.status == .ok)
            #expect(!dry.body.contains("<script>alert(1)</script>"))
            #expect(!dry.body.contains("<img src=x"))
            #expect(!dry.body.contains("<b>c3</b>"))
            #expect(dry.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(dry.body.contains("&lt;img src=x onerror=alert(1)&gt;"))
            let id = try #require(
                BackupPagesTests.jobID(try await browser.post("/feeds/apply", try Self.applyFields(dry))))
            _ = try await services.jobs.wait(for: id)
            let state = try await browser.get("/feeds?id=1")
            #expect(state.body.contains("data-course=\"&lt;b&gt;c3&lt;/b&gt;\""))
            #expect(!state.body.contains("<b>c3</b>"))
            let job = try await browser.get("/jobs/\(id)")
            #expect(!job.body.contains("<script>alert(1)</script>"))
        }
    }

    @Test("The mass-disable guard is shown with its numbers; the run passes it only when the operator ticks it")
    func massDisableGuard() async throws {
        let harness = try Self.harness()
        let services = harness.services
        let hosting = harness.hosting
        let seed = hosting.directory.appendingPathComponent("seed.txt")
        try Data(Self.file(["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY", "c1|p1", "c2|p2", "c2|p1"])).write(to: seed)
        let stored = try await services.commands.run(
            ["feed", "membership", "--id", "1", "--operation", "store", seed.path], user: "marie")
        #expect(stored.succeeded)
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/feeds?id=1")
            let dry = try await browser.upload(
                "/feeds/upload",
                files: [("file", "refresh.txt", Self.file(["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY", "c1|p1"]))],
                fields: [("id", "1"), ("format", "snapshot"), ("operation", "refresh")])
            #expect(dry.body.contains("id=\"mass-disable-guard\""))
            #expect(dry.body.contains("feed.mass_disable"))
            #expect(dry.body.contains("disable 2 of the 3 enabled records"))
            #expect(dry.body.contains("id=\"allow-mass-disable\""))
            let fields = try Self.applyFields(dry)
            let refused = try #require(BackupPagesTests.jobID(try await browser.post("/feeds/apply", fields)))
            #expect(try await services.jobs.wait(for: refused)?.state == .failed)
            #expect(try Self.memberships(hosting) == ["1-1", "2-1", "2-2"])
            let allowed = try #require(
                BackupPagesTests.jobID(try await browser.post("/feeds/apply", fields + [("allow_mass_disable", "on")])))
            let job = try await services.jobs.wait(for: allowed)
            #expect(job?.state == .succeeded)
            #expect(job?.arguments.contains("--allow-mass-disable") == true)
        }
        #expect(try Self.memberships(hosting) == ["1-1"])
    }

    /// A OneRoster 1.1 package as a ZIP (written by python3's zipfile, as the end-to-end tests write them).
    static func oneRosterZIP(in directory: URL, enrollments: [String]) throws -> [UInt8] {
        let package = directory.appendingPathComponent("oneroster-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        let files: [String: [String]] = [
            "manifest.csv": [
                "propertyName,value", "manifest.version,1.0", "oneroster.version,1.1", "file.classes,bulk",
                "file.users,bulk", "file.enrollments,bulk",
            ],
            "classes.csv": [
                "sourcedId,status,dateLastModified,title,classCode,schoolSourcedId", "k1,,,Maths,c1,s1",
                "k2,,,Français,c2,s1",
            ],
            "users.csv": [
                "sourcedId,status,dateLastModified,username,givenName,familyName", "u1,,,p1,A,A", "u2,,,p2,B,B",
            ],
            "enrollments.csv": [
                "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate"
            ] + enrollments,
        ]
        for (name, lines) in files {
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: package.appendingPathComponent(name))
        }
        let zip = package.path + ".zip"
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = [
            "-c",
            "import sys, zipfile, os\nwith zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:\n    for n in sorted(os.listdir(sys.argv[1])): z.write(os.path.join(sys.argv[1], n), n)",
            package.path, zip,
        ]
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0)
        return Array(try Data(contentsOf: URL(fileURLWithPath: zip)))
    }

    @Test("A OneRoster ZIP is tried with its manifest's operation (no --operation), then applied")
    func oneRosterZIP() async throws {
        let harness = try Self.harness()
        let services = harness.services
        let hosting = harness.hosting
        let zip = try Self.oneRosterZIP(
            in: harness.temporary.url,
            enrollments: [
                "e1,,,k1,s1,u1,student,false,,", "e2,,,k2,s1,u2,student,false,,", "e3,,,k9,s1,u2,student,false,,",
            ])
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/feeds?id=1")
            let dry = try await browser.upload(
                "/feeds/upload", files: [("file", "oneroster.zip", zip)],
                fields: [("id", "1"), ("format", "oneroster"), ("operation", "store"), ("integration", "oneroster")])
            #expect(dry.status == .ok)
            #expect(dry.body.contains("<tr data-kind=\"created\" data-line=\"2\">"))
            #expect(dry.body.contains("<tr data-kind=\"failed\" data-line=\"4\" class=\"failure\">"))
            #expect(dry.body.contains("classSourcedId"))
            let fields = try Self.applyFields(dry)
            #expect(fields.contains { $0 == ("operation", "") })
            let id = try #require(BackupPagesTests.jobID(try await browser.post("/feeds/apply", fields)))
            let job = try await services.jobs.wait(for: id)
            #expect(job?.exitCode == 3)
            #expect(job?.arguments.contains("--operation") == false)
        }
        #expect(try Self.memberships(hosting) == ["1-1", "2-2"])
    }

    @Test("A file refused whole (a comma-delimited header) shows the refusal and no apply form")
    func refusedFile() async throws {
        let harness = try Self.harness()
        let hosting = harness.hosting
        let services = harness.services
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/feeds?id=1")
            let dry = try await browser.upload(
                "/feeds/upload",
                files: [("file", "bad.txt", Self.file(["EXTERNAL_COURSE_KEY,EXTERNAL_PERSON_KEY", "c1,p1"]))],
                fields: [("id", "1"), ("format", "snapshot"), ("operation", "store")])
            #expect(dry.status == .unprocessableContent)
            #expect(dry.body.contains("data-outcome=\"refused\""))
            #expect(dry.body.contains("class=\"failure\""))
            #expect(!dry.body.contains("id=\"feed-apply-form\""))
            // Nothing to apply: nothing of the upload stays on the server.

            let noOperation = try await browser.upload(
                "/feeds/upload",
                files: [("file", "ok.txt", Self.file(["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY", "c1|p1"]))],
                fields: [("id", "1"), ("format", "snapshot"), ("operation", "--allow-mass-disable")])
            #expect(noOperation.status == .unprocessableContent)
            #expect(noOperation.body.contains("id=\"feed-error\""))
            // A second file beside the one tried could be the one applied: refused, nothing kept.
            let two = try await browser.upload(
                "/feeds/upload",
                files: [
                    ("file", "ok.txt", Self.file(["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY", "c1|p1"])),
                    ("other", "a.txt", Self.file(["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY", "c1|p2"])),
                ],
                fields: [("id", "1"), ("format", "snapshot"), ("operation", "store")])
            #expect(two.status == .unprocessableContent)
            #expect(!two.body.contains("id=\"feed-apply-form\""))
            // An apply naming a file the upload does not hold starts nothing.
            let unknown = try await browser.post(
                "/feeds/apply",
                [("upload", "20261207-000000-abcdefghij"), ("file", "ok.txt"), ("id", "1"), ("operation", "store")])
            #expect(unknown.status == .unprocessableContent)
        }
        // Nothing to apply: nothing of the refused uploads stays on the server, and no job started.
        let uploads = hosting.directory.appendingPathComponent(UploadReceiver.relativePath).path
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads)) ?? []).isEmpty)
        #expect(services.jobs.store.recent().isEmpty)
    }

    @Test("Purge counts first, then purges")
    func purge() async throws {
        let harness = try Self.harness()
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/feeds?id=1")
            let counted = try await browser.post(
                "/feeds/purge", [("id", "1"), ("older_than", "365d"), ("action", "count")])
            #expect(counted.body.contains("id=\"feed-purge-result\" data-outcome=\"counted\" data-count=\"0\""))
            let bad = try await browser.post(
                "/feeds/purge", [("id", "1"), ("older_than", "forever"), ("action", "purge")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("--older-than"))
        }
    }

    @Test("An auditor sees the feed state but no form, and every change is refused")
    func auditor() async throws {
        let harness = try Self.harness()
        let services = harness.services
        let seed = harness.hosting.directory.appendingPathComponent("seed.txt")
        try Data(Self.file(["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY", "c1|p1"])).write(to: seed)
        #expect(
            try await services.commands.run(
                ["feed", "membership", "--id", "1", "--operation", "store", seed.path], user: "marie"
            ).succeeded)
        try await harness.test { browser in
            try await browser.signIn("paul")
            let page = try await browser.get("/feeds?id=1")
            #expect(page.status == .ok)
            #expect(page.body.contains("<tr data-course=\"c1\" data-person=\"p1\""))
            #expect(!page.body.contains("feed-upload-form"))
            #expect(!page.body.contains("feed-purge-form"))
            let upload = try await browser.upload(
                "/feeds/upload",
                files: [("file", "f.txt", Self.file(["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY", "c1|p2"]))],
                fields: [("id", "1"), ("operation", "store")])
            #expect(upload.status == .forbidden)
            for path in ["/feeds/apply", "/feeds/purge"] {
                let refused = try await browser.post(
                    path, [("id", "1"), ("operation", "store"), ("upload", "x"), ("action", "purge")])
                #expect(refused.status == .forbidden)
            }
        }
        #expect(services.jobs.store.recent().isEmpty)
    }

    @Test("A report is read line by line: the first rows kept, later failures kept apart, an empty report read")
    func reportSummary() throws {
        let head =
            #"{"base_id":1,"operation":"store","integration":"sis","data_source":"sis","file":"f.txt","run":4,"dry_run":true,"notes":["n"],"rows":["#
        let totals = #""totals":{"created":1,"disabled":0,"failed":2,"moved":0,"unchanged":0,"updated":0}}"#
        let rows = [
            #"{"course":"c1","kind":"created","line":2,"person":"p1"}"#,
            #"{"course":"c9","field":"EXTERNAL_COURSE_KEY","kind":"failed","line":3,"person":"p1","reason":"no such course","value":"c9"}"#,
            #"{"course":"c8","field":"EXTERNAL_COURSE_KEY","kind":"failed","line":4,"person":"p1","reason":"no such course","value":"c8"}"#,
        ]
        let text = head + "\n" + rows.joined(separator: ",\n") + "],\n" + totals + "\n"
        let report = try #require(FeedReportSummary.read(Data(text.utf8), keeping: 2))
        #expect(report.rowCount == 3)
        #expect(report.rows.map(\.line) == [2, 3])
        #expect(report.laterFailures.map(\.line) == [4])
        #expect(report.totals.failed == 2)
        #expect(report.run == 4 && report.dryRun && report.notes == ["n"])
        let empty = try #require(FeedReportSummary.read(Data((head + "],\n" + totals + "\n").utf8)))
        #expect(empty.rowCount == 0)
        #expect(
            FeedReportSummary.read(Data(#"{"error":{"code":"feed.refused","message":"m","exit_code":1}}"#.utf8)) == nil)
        #expect(FeedReportSummary.read(Data((head + "\n" + rows[0]).utf8)) == nil)
    }
}
