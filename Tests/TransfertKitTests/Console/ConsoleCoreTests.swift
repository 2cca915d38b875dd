import Foundation
import HTTPTypes
import Testing

@testable import TransfertConsole
@testable import TransfertKit

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
        try await harness.test { browser in
            let form = try await browser.get("/sign-in")
            #expect(form.status == .ok)
            let signInCookie = form.headers[values: .setCookie].first { $0.hasPrefix("transfert_console_signin=") }
            #expect(signInCookie?.contains("HttpOnly") == true)
            #expect(signInCookie?.contains("SameSite=Strict") == true)
            #expect(signInCookie?.contains("Secure") == true)
            // Without the form's token: refused, no session.
            let forged = try await browser.post("/sign-in", [("name", "marie"), ("password", ConsoleHarness.password)], csrf: "forged")
            #expect(forged.status == .forbidden)
            #expect(browser.cookies[ConsoleSessions.cookieName] == nil)
            let planted = "A" + String(repeating: "b", count: 42)
            browser.cookies[ConsoleSessions.cookieName] = planted
            try await browser.get("/sign-in")
            let signedIn = try await browser.post("/sign-in", [("name", "marie"), ("password", ConsoleHarness.password)])
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
        let log = try String(contentsOf: harness.hosting.directory.appendingPathComponent(OperationLog.relativePath), encoding: .utf8)
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
