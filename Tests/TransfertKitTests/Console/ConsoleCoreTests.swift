import Foundation
import HTTPTypes
import Testing

@testable import TransfertConsole
@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel

/// Sign-in, sessions, CSRF, roles and jobs: what every page of the console stands on.
@Suite("Console core")
struct ConsoleCoreTests {
    @Test("No page without a session: pages lead to sign-in, changes are refused")
    func noPageWithoutSession() async throws {
        let harness = try ConsoleHarness()
        try await harness.test { browser in
            let home = try await browser.get("/")
            #expect(home.status == .found)
            #expect(home.headers[.location] == "/sign-in")
            let jobs = try await browser.get("/jobs")
            #expect(jobs.status == .found)
            let post = try await browser.post("/sign-out", [], csrf: "x")
            #expect(post.status == .unauthorized)
        }
    }

    @Test("Signing in opens a new session with safe cookie flags; the sign-in form needs its token")
    func signIn() async throws {
        let harness = try ConsoleHarness()
        let directory = harness.hosting.directory
        try await harness.test { browser in
            let form = try await browser.get("/sign-in")
            #expect(form.status == .ok)
            let signInCookie = form.headers[values: .setCookie].first { $0.hasPrefix("transfert_console_signin=") }
            #expect(signInCookie?.contains("HttpOnly") == true)
            #expect(signInCookie?.contains("SameSite=Strict") == true)
            #expect(signInCookie?.contains("Secure") == true)
            // Without the form's token: refused, no session.
            let forged = try await browser.post(
                "/sign-in", [("name", "marie"), ("password", ConsoleHarness.password)], csrf: "forged")
            #expect(forged.status == .forbidden)
            #expect(browser.cookies[ConsoleSessions.cookieName] == nil)
            let planted = "A" + String(repeating: "b", count: 42)
            browser.cookies[ConsoleSessions.cookieName] = planted
            try await browser.get("/sign-in")
            let signedIn = try await browser.post(
                "/sign-in", [("name", "marie"), ("password", ConsoleHarness.password)])
            #expect(signedIn.status == .found)
            let session = signedIn.headers[values: .setCookie].first { $0.hasPrefix("\(ConsoleSessions.cookieName)=") }
            #expect(session?.contains("HttpOnly") == true)
            #expect(session?.contains("Secure") == true)
            #expect(session?.contains("SameSite=Strict") == true)
            // A new token, not the one planted before sign-in (session fixation).
            #expect(browser.cookies[ConsoleSessions.cookieName] != planted)
            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.body.contains("marie"))
            #expect(home.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(home.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            // The receipt key a source's operator needs to trust this server's first receipt.
            let key = try ReceiptKey.load(in: directory).publicKeyBase64
            #expect(home.body.contains("<code id=\"receipt-key\">\(key)</code>"))
        }
    }

    @Test("A wrong password is refused, and attempts are throttled per account")
    func throttled() async throws {
        let harness = try ConsoleHarness()
        try await harness.test { browser in
            for _ in 0..<5 {
                let refused = try await browser.signIn("marie", password: "wrong-password!")
                #expect(refused.status == .unauthorized)
            }
            let throttled = try await browser.signIn("marie")
            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers[.retryAfter] != nil)
            #expect(browser.cookies[ConsoleSessions.cookieName] == nil)
        }
    }

    @Test("Changes need the session's CSRF token; an auditor's change is refused")
    func csrfAndRoles() async throws {
        let harness = try ConsoleHarness()
        try await harness.test { browser in
            try await browser.signIn("paul")
            try await browser.get("/")
            let refused = try await browser.post("/establishments", [("name", "x")])
            #expect(refused.status == .forbidden)
            #expect(refused.body.contains("auditor") || refused.body.contains("auditeur"))
        }
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/")
            let noToken = try await browser.post("/language", [("language", "en")], csrf: .some(nil))
            #expect(noToken.status == .forbidden)
            let wrong = try await browser.post("/language", [("language", "en")], csrf: "wrong")
            #expect(wrong.status == .forbidden)
            let right = try await browser.post("/language", [("language", "en")])
            #expect(right.status == .found)
            let english = try await browser.get("/")
            #expect(english.body.contains("Hosting"))
        }
    }

    @Test("A job runs the transfert binary, names the web user in the operations log, and ends")
    func jobRuns() async throws {
        let harness = try ConsoleHarness(establishments: 1)
        let job = try await harness.services.jobs.start(
            kind: "info", title: "Info", user: "marie", arguments: ["info"])
        let ended = try await harness.services.jobs.wait(for: job.id)
        #expect(ended?.state == .succeeded)
        #expect(harness.services.jobs.store.output(of: job.id).map { !$0.isEmpty } == true)
        let failing = try await harness.services.jobs.start(
            kind: "export", title: "Export 99", user: "marie", arguments: ["export", "--ids", "99", "--out", "{files}"])
        let failed = try await harness.services.jobs.wait(for: failing.id)
        #expect(failed?.state == .failed)
        let log = try String(
            contentsOf: harness.hosting.directory.appendingPathComponent(OperationLog.relativePath), encoding: .utf8)
        #expect(log.contains("\"user\":\"marie\""))
        #expect(log.contains("\"via\":\"console\""))
        try await harness.test { browser in
            try await browser.signIn("marie")
            let page = try await browser.get("/jobs/\(failing.id)")
            #expect(page.status == .ok)
            #expect(page.body.contains("failure"))
            let traversal = try await browser.get("/jobs/\(failing.id)/files/..%2Fjob.json")
            #expect(traversal.status == .notFound)
            let unknown = try await browser.get("/jobs/..%2F..%2Fregistry/progress")
            #expect(unknown.status == .notFound)
        }
    }

    @Test("A job left running by a killed console is reported interrupted, and doctor runs")
    func interruptedOnRestart() async throws {
        let harness = try ConsoleHarness()
        var job = ConsoleJob(
            id: "20261207-120000-abcdefghij", kind: "import", title: "Import", user: "marie", arguments: ["import"],
            establishments: [], startedAt: Date())
        job.pid = 999_999
        try harness.services.jobs.store.create(job)
        let interrupted = await harness.services.jobs.recoverInterrupted()
        #expect(interrupted.map(\.id) == [job.id])
        #expect(harness.services.jobs.store.job(job.id)?.state == .interrupted)
        let doctor = harness.services.jobs.store.recent().first { $0.kind == "doctor" }
        #expect(doctor != nil)
        if let doctor { _ = try await harness.services.jobs.wait(for: doctor.id) }
    }
}

/// The `console:` section of transfert.yaml and the accounts file.
@Suite("Console settings and accounts")
struct ConsoleSettingsTests {
    @Test("Values that cannot work are refused, naming the key")
    func refusals() {
        let cases: [(ConsoleSettings, String)] = [
            (ConsoleSettings(uploadLimitMiB: 0), "console.upload_limit_mib"),
            (ConsoleSettings(sessionIdleMinutes: 0), "console.session_idle_minutes"),
            (ConsoleSettings(sessionHours: 1_000), "console.session_hours"),
            (ConsoleSettings(tlsCertificate: "/etc/ssl/c.pem"), "console.tls_key"),
            (ConsoleSettings(importDirectory: " "), "console.import_directory"),
        ]
        for (settings, key) in cases {
            #expect(throws: ConfigurationError.self) { try settings.validate(file: "transfert.yaml") }
            do { try settings.validate(file: "transfert.yaml") } catch {
                #expect(String(describing: error).contains(key))
            }
        }
        #expect(ConsoleSettings().uploadLimitBytes == 4_096 * 1_048_576)
    }

    @Test("Accounts: names and passwords checked, bcrypt's 72 bytes never cut silently, unknown names cost a check")
    func accounts() throws {
        let temporary = try TemporaryDirectory()
        let accounts = ConsoleAccounts(file: temporary.path("console/users.json"), cost: 4)
        #expect(throws: ConsoleAccountError.invalidName("../marie")) {
            try accounts.add(name: "../marie", role: .webmaster, password: "assez-long-pour-passer")
        }
        #expect(throws: ConsoleAccountError.passwordTooShort(minimum: 10)) {
            try accounts.add(name: "marie", role: .webmaster, password: "court")
        }
        #expect(throws: ConsoleAccountError.passwordTooLong(maximumBytes: 72)) {
            try accounts.add(name: "marie", role: .webmaster, password: String(repeating: "é", count: 40))
        }
        try accounts.add(name: "marie", role: .webmaster, password: "assez-long-pour-passer")
        #expect(throws: ConsoleAccountError.alreadyExists("marie")) {
            try accounts.add(name: "marie", role: .auditor, password: "assez-long-pour-passer")
        }
        #expect(try accounts.verify(name: "marie", password: "assez-long-pour-passer")?.role == .webmaster)
        #expect(try accounts.verify(name: "marie", password: "assez-long-pour-passez") == nil)
        #expect(try accounts.verify(name: "nobody", password: "assez-long-pour-passer") == nil)
        let text = try String(contentsOf: accounts.file, encoding: .utf8)
        #expect(!text.contains("assez-long"))
        let mode = try FileManager.default.attributesOfItem(atPath: accounts.file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try accounts.setRole(name: "marie", role: .auditor)
        #expect(try accounts.user(named: "marie")?.role == .auditor)
        try accounts.remove(name: "marie")
        #expect(try accounts.all().isEmpty)
    }

    @Test("A removed account's session ends at its next request; a changed role applies at once")
    func accountChanges() async throws {
        let harness = try ConsoleHarness()
        let accounts = harness.services.accounts
        try await harness.test { browser in
            try await browser.signIn("marie")
            #expect(try await browser.get("/").status == .ok)
            try ConsoleAccounts(file: accounts.file, cost: 4).setRole(name: "marie", role: .auditor)
            let refused = try await browser.post("/establishments", [("uai", "0750001U")])
            #expect(refused.status == .forbidden)
            try accounts.remove(name: "marie")
            let gone = try await browser.get("/")
            #expect(gone.status == .found)
            #expect(gone.headers[.location] == "/sign-in")
        }
    }
}

@Suite("Console job arguments")
struct ConsoleJobArgumentTests {
    @Test("{files} is the job's directory as an argument, a path's start or an option's value; never inside typed text")
    func filesPlaceholder() {
        let files = "/srv/h/console/jobs/x/files"
        #expect(JobRunner.expandingFiles("{files}", files: files) == files)
        #expect(JobRunner.expandingFiles("{files}/a.csv", files: files) == files + "/a.csv")
        #expect(JobRunner.expandingFiles("--receipt={files}/a.json", files: files) == "--receipt=" + files + "/a.json")
        #expect(JobRunner.expandingFiles("--note=see {files}", files: files) == "--note=see {files}")
        #expect(JobRunner.expandingFiles("{files}x", files: files) == "{files}x")
    }
}
