import Foundation
import HTTPTypes
import Testing
import TransfertModel

@testable import TransfertConsole
@testable import TransfertKit

/// The export page: establishments chosen in a list, options, a job that exports into its own files and
/// verifies what it wrote; the job page's downloads and verdict; refusals in the command's words.
@Suite("Console export")
struct ExportPagesTests {
    /// The job id a `303` to `/jobs/<id>` names.
    static func jobID(_ page: ConsolePage) -> String? {
        guard page.status == .seeOther, let location = page.headers[.location], location.hasPrefix("/jobs/") else {
            return nil
        }
        return String(location.dropFirst("/jobs/".count))
    }

    /// The `href`s of the links inside `#job-files`.
    static func downloads(_ page: ConsolePage) -> [String] {
        guard let start = page.body.range(of: "<ul id=\"job-files\">"),
            let end = page.body[start.upperBound...].range(of: "</ul>")
        else { return [] }
        return page.body[start.upperBound..<end.lowerBound].components(separatedBy: "href=\"").dropFirst().map {
            String($0.prefix { $0 != "\"" })
        }
    }

    @Test("Two of three establishments exported from the form: the job succeeds, both files download, verdict ok")
    func exportTwoOfThree() async throws {
        let harness = try ConsoleHarness(establishments: 3)
        let services = harness.services
        try await harness.test { browser in
            try await browser.signIn("marie")
            let form = try await browser.get("/export")
            #expect(form.status == .ok)
            for id in 1...3 { #expect(form.body.contains("name=\"ids\" value=\"\(id)\"")) }
            #expect(form.body.contains("id=\"export-form\""))
            #expect(form.body.contains("id=\"start-export\""))
            let started = try await browser.post(
                "/export",
                [("ids", "1"), ("ids", "3"), ("files", "on"), ("format", "transfert"), ("verify_deep", "on")])
            let id = try #require(Self.jobID(started))
            let job = try #require(try await services.jobs.wait(for: id))
            #expect(job.state == .succeeded)
            #expect(job.kind == "export")
            #expect(job.establishments == [1, 3])
            // The record keeps the real verification command: the files the export wrote.
            let verify = try #require(job.followingSteps.first)
            #expect(
                verify.contains {
                    $0.hasSuffix(".csv") && $0.hasPrefix(services.jobs.store.filesDirectory(of: id).path)
                })
            #expect(verify.contains { $0.hasSuffix(".zip") && $0.hasPrefix("/") })
            #expect(!verify.contains { $0.contains("{produced") })

            let page = try await browser.get("/jobs/\(id)")
            #expect(page.status == .ok)
            #expect(page.body.contains("id=\"verification\" data-verdict=\"ok\""))
            #expect(page.body.contains("id=\"exported\""))
            #expect(page.body.contains("<td>1</td>"))
            #expect(page.body.contains("<td>3</td>"))
            #expect(!page.body.contains("<td>2</td>"))
            let links = Self.downloads(page)
            #expect(links.count == 2)
            #expect(links.contains { $0.hasSuffix(".csv") })
            for link in links {
                let file = try await browser.get(link)
                #expect(file.status == .ok)
                if link.hasSuffix(".zip") { #expect(file.body.hasPrefix("PK")) }
                if link.hasSuffix(".csv") { #expect(file.body.split(whereSeparator: \.isNewline).count == 3) }
            }
            // Live progress came from `--progress json`: one event per establishment exported, 2 of 2 at the end.
            let log = try String(contentsOf: services.jobs.store.errorFile(of: id), encoding: .utf8)
            let exportEvents = log.split(separator: "\n").filter { $0.contains("\"task\":\"export\"") }
            #expect(exportEvents.contains { $0.contains("\"done_items\":2") && $0.contains("\"total_items\":2") })
            let progress = try await browser.get("/jobs/\(id)/progress")
            #expect(progress.body.contains("\"state\":\"succeeded\""))
        }
    }

    @Test("An establishment another job is exporting makes the export job fail with the command's lock message")
    func lockedEstablishment() async throws {
        let harness = try ConsoleHarness(establishments: 2)
        let services = harness.services
        // The lock a running export holds on its establishment (held here by this live process): what keeps
        // two jobs off the same establishment, without racing two real exports.
        try harness.hosting.registry.acquire(StructureLock.automatic(baseID: 2))
        // Kept alive as a running export keeps it: under a loaded `make test` the job may start after the
        // lock would have gone stale.
        let heartbeat = LockHeartbeat(registry: harness.hosting.registry, interval: 1) { [2] }
        defer { heartbeat.stop() }
        try await harness.test { browser in
            try await browser.signIn("marie")
            let list = try await browser.get("/export")
            #expect(list.body.contains(StructureLock.backupMessage))
            let started = try await browser.post(
                "/export", [("ids", "1"), ("ids", "2"), ("files", "on"), ("format", "transfert")])
            let id = try #require(Self.jobID(started))
            let job = try #require(try await services.jobs.wait(for: id))
            #expect(job.state == .failed)
            #expect(job.step == 0)
            let page = try await browser.get("/jobs/\(id)")
            #expect(page.body.contains("class=\"failure\""))
            #expect(
                page.body.contains("establishment 2 is locked (\(StructureLock.backupMessage), process \(getpid())"))
            #expect(page.body.contains("id=\"verification-skipped\""))
            #expect(!page.body.contains("data-verdict="))
            // Nothing half-written to download.
            #expect(services.jobs.store.producedFiles(of: id).isEmpty)
        }
        // Establishment 1's lock was not left behind by the refused export.
        #expect(try harness.hosting.registry.locks().map(\.baseID) == [2])
    }

    @Test("Options the command refuses together are refused in its words on the job page")
    func commandRefusesOptions() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let services = harness.services
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/export")
            let started = try await browser.post("/export", [("ids", "1"), ("files", "on"), ("format", "sacoche")])
            let id = try #require(Self.jobID(started))
            let job = try #require(try await services.jobs.wait(for: id))
            #expect(job.state == .failed)
            let page = try await browser.get("/jobs/\(id)")
            #expect(page.body.contains("carries no uploaded files"))
        }
    }

    @Test(
        "Ids that are not ids, or none, are refused on the form and start no job",
        arguments: [
            [("ids", "1; rm -rf /")], [("ids", "99999999999999999999")], [("ids", "-1")], [("ids", "+1")], [],
        ])
    func badIDs(fields: [(String, String)]) async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let services = harness.services
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/export")
            let refused = try await browser.post("/export", fields + [("format", "transfert")])
            #expect(refused.status == .badRequest)
            #expect(refused.body.contains("id=\"export-error\""))
            #expect(services.jobs.store.recent().isEmpty)
        }
    }

    @Test("Typed text stays one argument: a note or categories that look like options are values")
    func typedTextIsAValue() throws {
        let form = FormFields(pairs: [
            ("ids", "4"), ("ids", "2"), ("ids", "4"), ("format", "transfert"), ("note", "--all"),
            ("without", "users,logs"), ("keep_locked", "on"), ("anonymise", "on"),
        ])
        let request = try ExportRequest(form: form)
        #expect(request.ids == [4, 2])
        #expect(
            request.exportArguments == [
                "export", "--ids=4,2", "--out", "{files}", "--progress", "json", "--format=transfert", "--no-files",
                "--keep-locked", "--without=users,logs", "--anonymise", "--note=--all",
            ])
        #expect(
            request.verifyArguments == ["verify", "--progress", "json", "--", "{produced:.csv}", "{produced:.zip}"])
        #expect(request.title(.en) == "Export of 4,2")
        let many = try ExportRequest(form: FormFields(pairs: (1...40).map { ("ids", String($0)) }))
        #expect(many.title(.fr) == "Export de 40 établissements (1,2,3,4,5…)")
        // Past what one argument may carry: refused in words, not by the kernel at the job's start.
        let tooMany = FormFields(pairs: (1...20_000).map { ("ids", String(1_000_000_000 + $0)) })
        #expect(throws: ExportRequest.Refusal.tooMany(20_000)) { try ExportRequest(form: tooMany) }
    }

    @Test("The list narrows by search (accents and case ignored) and by zone; 'tick all' ticks what is shown")
    func narrowing() async throws {
        let harness = try ConsoleHarness(establishments: 2)
        var other = newStructure(uai: "0250010A", email: "agnes@ac-besancon.fr")
        other.denomination = "Lycée Victor Hugo"
        _ = try harness.hosting.addStructure(other)
        try await harness.test { browser in
            try await browser.signIn("marie")
            let found = try await browser.get("/export?q=VICTOR%20hugo")
            #expect(found.body.contains("value=\"3\""))
            #expect(!found.body.contains("name=\"ids\" value=\"1\""))
            let accents = try await browser.get("/export?q=emile")
            #expect(accents.body.contains("name=\"ids\" value=\"1\""))
            #expect(!accents.body.contains("name=\"ids\" value=\"3\""))
            let byUAI = try await browser.get("/export?q=0250010a&select=all")
            #expect(byUAI.body.contains("name=\"ids\" value=\"3\" id=\"export-id-3\" checked"))
            let zone = try await browser.get("/export?zone=999")
            #expect(!zone.body.contains("name=\"ids\""))
        }
    }

    @Test("A name or a search carrying markup is shown as text on the export page")
    func markupShownAsText() async throws {
        let harness = try ConsoleHarness()
        var hostile = newStructure(uai: nil, email: "x@ac-paris.fr")
        hostile.denomination = "<script>alert(1)</script>"
        _ = try harness.hosting.addStructure(hostile)
        try await harness.test { browser in
            try await browser.signIn("marie")
            let page = try await browser.get("/export?q=%22%3E%3Cimg%20src%3Dx%3E")
            #expect(!page.body.contains("<img src=x>"))
            #expect(page.body.contains("&quot;&gt;&lt;img src=x&gt;"))
            let list = try await browser.get("/export")
            #expect(list.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!list.body.contains("<script>alert(1)"))
        }
    }

    @Test("An auditor sees the list but no export form, and cannot start an export")
    func auditor() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let services = harness.services
        try await harness.test { browser in
            try await browser.signIn("paul")
            let page = try await browser.get("/export")
            #expect(page.status == .ok)
            #expect(!page.body.contains("id=\"export-form\""))
            #expect(!page.body.contains("name=\"ids\""))
            let refused = try await browser.post("/export", [("ids", "1"), ("format", "transfert")])
            #expect(refused.status == .forbidden)
            #expect(services.jobs.store.recent().isEmpty)
        }
    }

    @Test("A following step is given the file an earlier step produced, or the job fails saying none was")
    func producedFileArgument() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let jobs = harness.services.jobs
        let exported = try await jobs.start(
            kind: "export", title: "Export 1", user: "marie", arguments: ["export", "--ids", "1", "--out", "{files}"],
            then: [["inspect", "{produced:.zip}"]])
        let ended = try #require(try await jobs.wait(for: exported.id))
        #expect(ended.state == .succeeded)
        let zip = try #require(ended.followingSteps.first?.last)
        #expect(zip.hasSuffix(".zip"))
        #expect(FileManager.default.fileExists(atPath: zip))

        let nothing = try await jobs.start(
            kind: "export", title: "Info", user: "marie", arguments: ["info"], then: [["inspect", "{produced:.zip}"]])
        let failed = try #require(try await jobs.wait(for: nothing.id))
        #expect(failed.state == .failed)
        #expect(failed.step == 1)
        #expect(jobs.store.messages(of: nothing.id).contains { $0.contains("no file ending in '.zip'") })
    }
}
