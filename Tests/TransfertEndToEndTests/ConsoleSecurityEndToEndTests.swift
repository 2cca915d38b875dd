import Foundation
import Testing

/// The console's defences checked over a real socket, against the real `transfert console` binary: what a
/// browser-less attacker can send (curl and hand-made multipart bodies), signals and crashes of the server
/// process, and HTTPS by the console itself.
@Suite("Console security, end to end", .serialized)
struct ConsoleSecurityEndToEndTests {
    static let password = "correct horse battery staple"

    /// A hosting `h` with `structures` sample establishments, the accounts marie (webmaster) and paul
    /// (auditor), and `yaml` appended to its transfert.yaml.
    func hosting(structures: Int = 2, students: Int = 5, yaml: String = "") throws -> Workspace {
        let workspace = try Workspace()
        try workspace.initHosting("h")
        try workspace.succeed(
            ["sample", "--structures", String(structures), "--students", String(students)], hosting: "h")
        try workspace.addConsoleUser("marie", password: Self.password, hosting: "h")
        try workspace.addConsoleUser("paul", password: Self.password, role: "auditor", hosting: "h")
        if !yaml.isEmpty {
            let file = URL(fileURLWithPath: workspace.path("h/transfert.yaml"))
            let handle = try FileHandle(forWritingTo: file)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(("\n" + yaml + "\n").utf8))
            try handle.close()
        }
        return workspace
    }

    /// The headers every answer of the console carries, errors included.
    func expectSecurityHeaders(
        _ answer: ConsoleAnswer, _ what: String, cached: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let policy = answer.header("content-security-policy") ?? ""
        #expect(
            policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'")
                && policy.contains("script-src 'self'") && !policy.contains("unsafe-inline"),
            "\(what): Content-Security-Policy \(policy.debugDescription)", sourceLocation: sourceLocation)
        #expect(answer.header("x-content-type-options") == "nosniff", "\(what)", sourceLocation: sourceLocation)
        #expect(answer.header("referrer-policy") == "no-referrer", "\(what)", sourceLocation: sourceLocation)
        #expect(answer.header("x-frame-options") == "DENY", "\(what)", sourceLocation: sourceLocation)
        if !cached {  // pages hold personal data: never kept by a browser or a proxy
            #expect(answer.header("cache-control") == "no-store", "\(what)", sourceLocation: sourceLocation)
        }
    }

    /// What `console/uploads` holds (nothing, or no directory at all, after a refused upload).
    func uploads(_ workspace: Workspace) -> [String] {
        let root = workspace.path("h/console/uploads")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.flatMap { name -> [String] in
            let inside = (try? FileManager.default.subpathsOfDirectory(atPath: root + "/" + name)) ?? []
            return [name] + inside.map { name + "/" + $0 }
        }
    }

    @Test func withoutASessionNoPageAndNoActionIsServed() throws {
        let workspace = try hosting()
        let console = try ConsoleServer(workspace, hosting: "h")
        let anonymous = ConsoleClient(base: console.base)
        for path in [
            "/", "/jobs", "/operations", "/establishments", "/establishments/1", "/establishments/statistics",
            "/export", "/import", "/verify", "/moves", "/maintenance", "/backups", "/feeds", "/jobs/x/files/y",
            "/no-such-page",
        ] {
            let answer = try anonymous.get(path)
            #expect(
                answer.status == 302 && answer.header("location") == "/sign-in",
                "GET \(path) without a session: \(answer.status) \(answer.header("location") ?? "")")
            expectSecurityHeaders(answer, "GET \(path)")
        }
        // A forged or unknown session cookie is no session.
        anonymous.cookies["transfert_console"] = "forged-session-token"
        #expect(try anonymous.get("/").status == 302)
        // Actions: refused before anything runs, whatever token they carry.
        for path in [
            "/sign-out", "/language", "/export", "/import/upload", "/verify/upload", "/establishments/new",
            "/establishments/1/remove", "/moves/receipt", "/maintenance/plan",
        ] {
            let answer = try anonymous.post(path, [("ids", "1"), ("confirmation", "1")], csrf: "guessed")
            #expect(answer.status == 401, "POST \(path) without a session: \(answer.status)")
            expectSecurityHeaders(answer, "POST \(path)")
        }
        let upload = try anonymous.request(
            "/import/upload?csrf=guessed", method: "POST",
            arguments: ["-F", "csv=@\(workspace.path("marie-h.password"));filename=a.csv"])
        #expect(upload.status == 401, "an upload without a session: \(upload.status)")
        #expect(uploads(workspace).isEmpty, "nothing kept: \(uploads(workspace))")
        // The structures are all there: nothing ran.
        let count = try workspace.sqlite("h/registry.sqlite", "SELECT COUNT(*) FROM structure")
        #expect(count == "2")
        // The public paths stay public.
        #expect(try anonymous.get("/sign-in").status == 200)
        #expect(try anonymous.get("/health").status == 200)
        #expect(try anonymous.get("/assets/console.js").status == 200)
    }

    @Test func cookiesAreSecureHttpOnlyStrictAndASignInNeverKeepsTheOldSession() throws {
        let workspace = try hosting()
        let console = try ConsoleServer(workspace, hosting: "h")
        let browser = ConsoleClient(base: console.base)
        let form = try browser.get("/sign-in")
        let formCookie = try #require(form.setCookie("transfert_console_signin"), "\(form.setCookies)")
        for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
            #expect(formCookie.contains(flag), "the sign-in form's cookie lacks \(flag): \(formCookie)")
        }
        // A second sign-in page meanwhile (another tab; or Chromium's own /favicon.ico, redirected here)
        // does not void the form being filled in.
        let formToken = try #require(browser.csrf)
        _ = try browser.get("/sign-in")
        _ = try browser.get("/favicon.ico")
        let meanwhile = try browser.post("/sign-in", [("name", "paul"), ("password", Self.password)], csrf: formToken)
        #expect(meanwhile.status == 302, "the first form after a second sign-in page: \(meanwhile.status)")
        _ = try browser.get("/")
        #expect(try browser.post("/sign-out", []).status == 302)
        _ = try browser.get("/sign-in")

        // Session fixation: a session id planted before sign-in is never the one signed in.
        browser.cookies["transfert_console"] = "planted-by-an-attacker"
        let signedIn = try browser.post("/sign-in", [("name", "marie"), ("password", Self.password)])
        #expect(signedIn.status == 302, "\(signedIn.status) \(signedIn.body.prefix(300))")
        let sessionCookie = try #require(signedIn.setCookie("transfert_console"), "\(signedIn.setCookies)")
        for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
            #expect(sessionCookie.contains(flag), "the session cookie lacks \(flag): \(sessionCookie)")
        }
        let first = try #require(browser.cookies["transfert_console"])
        #expect(first != "planted-by-an-attacker")
        #expect(first.count >= 32, "a session token long enough not to be guessed: \(first)")
        #expect(try browser.get("/").status == 200)

        // A valid session planted in another browser (the attacker's own, say) before its user signs in:
        // the sign-in gives a new token, and the planted one ends.
        let victim = ConsoleClient(base: console.base)
        _ = try victim.get("/sign-in")
        victim.cookies["transfert_console"] = first
        let again = try victim.post("/sign-in", [("name", "paul"), ("password", Self.password)])
        #expect(again.status == 302, "\(again.status) \(again.body.prefix(300))")
        let second = try #require(victim.cookies["transfert_console"])
        #expect(second != first)
        let old = ConsoleClient(base: console.base)
        old.cookies["transfert_console"] = first
        #expect(try old.get("/").status == 302, "the replaced session still opens pages")
        #expect(try victim.get("/").status == 200)
        try browser.signIn("marie", password: Self.password)
        let third = try #require(browser.cookies["transfert_console"])

        // CSRF: a change without the session's token, with a wrong one, or from another site's page.
        _ = try browser.get("/")
        for (token, headers) in [
            ("", [:]), ("wrong-token", [:]), (browser.csrf ?? "", ["Origin": "https://evil.example"]),
        ] {
            let answer = try browser.post("/language", [("language", "en")], csrf: token, headers: headers)
            #expect(
                answer.status == 403, "POST /language, token \(token.debugDescription) \(headers): \(answer.status)")
            expectSecurityHeaders(answer, "a refused form")
        }
        #expect(try browser.post("/language", [("language", "en")]).status == 302, "the right token passes")

        // An auditor changes nothing, even with a valid token.
        let auditor = ConsoleClient(base: console.base)
        try auditor.signIn("paul", password: Self.password)
        let removal = try auditor.post("/establishments/1/remove", [("confirmation", "1")])
        #expect(removal.status == 403, "an auditor's removal: \(removal.status)")
        #expect(try workspace.sqlite("h/registry.sqlite", "SELECT COUNT(*) FROM structure") == "2")

        // Signing out ends the session on the server, not only in the browser.
        #expect(try browser.post("/sign-out", []).status == 302)
        old.cookies["transfert_console"] = third
        #expect(try old.get("/").status == 302, "a signed-out session still opens pages")

        // Throttled: repeated wrong passwords for one account are refused before any password is checked.
        let guesser = ConsoleClient(base: console.base)
        var statuses: [Int] = []
        for _ in 0..<12 {
            _ = try guesser.get("/sign-in")
            statuses.append(try guesser.post("/sign-in", [("name", "marie"), ("password", "guess")]).status)
        }
        #expect(statuses.contains(429), "no throttling after 12 wrong passwords: \(statuses)")
        let throttled = ConsoleClient(base: console.base)
        _ = try throttled.get("/sign-in")
        let right = try throttled.post("/sign-in", [("name", "marie"), ("password", Self.password)])
        #expect(right.status == 429, "the right password during the throttle: \(right.status)")
        #expect(right.header("retry-after") != nil)
    }

    @Test func securityHeadersAreOnNotFoundAndOnErrors() throws {
        let workspace = try hosting()
        let console = try ConsoleServer(workspace, hosting: "h")
        let browser = ConsoleClient(base: console.base)
        try browser.signIn("marie", password: Self.password)
        let missing = try browser.get("/no-such-page")
        #expect(missing.status == 404)
        expectSecurityHeaders(missing, "404")
        let job = try browser.get("/jobs/20260101-000000-ffff")
        #expect(job.status == 404)
        expectSecurityHeaders(job, "an unknown job")
        let badForm = try browser.post("/language", [], csrf: "")
        #expect(badForm.status == 403)
        expectSecurityHeaders(badForm, "403")
        #expect(!missing.body.contains("Fatal error") && !missing.body.contains("Stack"), "\(missing.body.prefix(500))")
        let asset = try browser.get("/assets/console.css")
        expectSecurityHeaders(asset, "an asset", cached: true)
    }

    /// The upload route the import page's form posts to (`#upload-form`'s action, its token in the query).
    func uploadAction(_ browser: ConsoleClient, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let page = try browser.get("/import", sourceLocation: sourceLocation)
        try #require(page.status == 200, "GET /import: \(page.status)", sourceLocation: sourceLocation)
        let form = try browser.form("upload-form", in: page.body, sourceLocation: sourceLocation)
        try #require(
            form.action.hasPrefix("/") && form.action.contains("csrf="), "#upload-form's action: \(form.action)",
            sourceLocation: sourceLocation)
        return form.action.replacingOccurrences(of: "&amp;", with: "&")
    }

    /// A multipart body made by hand: what a browser never sends (a file name with a path, a part past
    /// the limit), so that the server, not the client, decides.
    func multipart(_ parts: [(name: String, filename: String, bytes: Data)], boundary: String) -> Data {
        var body = Data()
        for part in parts {
            body.append(Data("--\(boundary)\r\n".utf8))
            body.append(
                Data(
                    "Content-Disposition: form-data; name=\"\(part.name)\"; filename=\"\(part.filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                        .utf8))
            body.append(part.bytes)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return body
    }

    @Test func uploadsPastTheLimitOrWithAPathInTheirNameLeaveNothingBehind() throws {
        let workspace = try hosting(yaml: "console:\n  upload_limit_mib: 1")
        let console = try ConsoleServer(workspace, hosting: "h")
        let browser = ConsoleClient(base: console.base)
        try browser.signIn("marie", password: Self.password)
        let action = try uploadAction(browser)
        let small = URL(fileURLWithPath: workspace.path("small.csv"))
        try Data("Id_Import;x\n".utf8).write(to: small)
        let big = URL(fileURLWithPath: workspace.path("big.zip"))
        #expect(FileManager.default.createFile(atPath: big.path, contents: nil))
        let handle = try FileHandle(forWritingTo: big)
        for _ in 0..<5 { try handle.write(contentsOf: Data(repeating: 0x5A, count: 1 << 20)) }
        try handle.close()

        // 5 MiB announced by Content-Length: refused before the body is read.
        let declared = try browser.request(
            action, method: "POST", arguments: ["-F", "csv=@\(small.path)", "-F", "zip=@\(big.path)"])
        #expect(
            declared.status == 413 || (declared.status == 0 && declared.curlStatus != 0),
            "5 MiB past a 1 MiB limit: \(declared.status) (curl \(declared.curlStatus)) \(declared.body.prefix(300))")
        #expect(uploads(workspace).isEmpty, "left behind: \(uploads(workspace))")

        // The same without Content-Length (chunked): refused while reading, the partial file removed.
        let chunked = try browser.request(
            action, method: "POST",
            arguments: ["-H", "Transfer-Encoding: chunked", "-F", "csv=@\(small.path)", "-F", "zip=@\(big.path)"])
        #expect(
            chunked.status == 413 || (chunked.status == 0 && chunked.curlStatus != 0),
            "a chunked 5 MiB upload: \(chunked.status) (curl \(chunked.curlStatus)) \(chunked.body.prefix(300))")
        #expect(uploads(workspace).isEmpty, "left behind: \(uploads(workspace))")

        // A lying Content-Length (small) in front of a large chunked body cannot pass either: curl sends
        // both headers; HTTP/1.1 gives Transfer-Encoding precedence, and the count is of bytes received.
        let lying = try browser.request(
            action, method: "POST",
            arguments: [
                "-H", "Transfer-Encoding: chunked", "-H", "Content-Length: 100", "-F", "csv=@\(small.path)", "-F",
                "zip=@\(big.path)",
            ])
        #expect(
            (400..<500).contains(lying.status) || (lying.status == 0 && lying.curlStatus != 0),
            "a lying Content-Length: \(lying.status) (curl \(lying.curlStatus))")
        #expect(uploads(workspace).isEmpty, "left behind: \(uploads(workspace))")

        // File names that are paths: refused, nothing written anywhere.
        let boundary = "----transfert-test-\(UUID().uuidString)"
        for name in ["../x.zip", "/etc/passwd", "..", "../../h/transfert.yaml", "a/../../x.zip", ".hidden.zip"] {
            let body = URL(fileURLWithPath: workspace.path("body.bin"))
            try multipart(
                [("csv", "ok.csv", Data("Id_Import\n".utf8)), ("zip", name, Data("PK\u{5}\u{6}".utf8))],
                boundary: boundary
            ).write(to: body)
            let answer = try browser.request(
                action, method: "POST",
                arguments: [
                    "-H", "Content-Type: multipart/form-data; boundary=\(boundary)", "--data-binary", "@\(body.path)",
                ])
            #expect((400..<500).contains(answer.status), "file name \(name.debugDescription): \(answer.status)")
            expectSecurityHeaders(answer, "a refused upload")
            #expect(uploads(workspace).isEmpty, "file name \(name.debugDescription) left: \(uploads(workspace))")
        }
        for escaped in ["h/console/x.zip", "h/x.zip", "x.zip"] {
            #expect(!FileManager.default.fileExists(atPath: workspace.path(escaped)), "\(escaped) was written")
        }
        let yaml = try String(contentsOfFile: workspace.path("h/transfert.yaml"), encoding: .utf8)
        #expect(yaml.contains("upload_limit_mib: 1"), "transfert.yaml overwritten")

        // The console still serves, and an honest upload under the limit is taken.
        let honest = try browser.request(
            action, method: "POST", arguments: ["-F", "csv=@\(small.path)", "-F", "zip=@\(small.path);filename=b.zip"])
        #expect(
            honest.status == 303 || honest.status == 302,
            "an upload under the limit: \(honest.status) \(honest.body.prefix(300))")
        #expect(!uploads(workspace).isEmpty, "the honest upload was kept")
    }

    /// Starts an export of every establishment from the export page's form, as a browser would submit it.
    func startExport(_ browser: ConsoleClient, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let page = try browser.get("/export", sourceLocation: sourceLocation)
        try #require(page.status == 200, "GET /export: \(page.status)", sourceLocation: sourceLocation)
        let form = try browser.form("export-form", in: page.body, sourceLocation: sourceLocation)
        let ids = form.choices.filter { $0.0 == "ids" }.map(\.1)
        try #require(!ids.isEmpty, "no ids checkbox in #export-form", sourceLocation: sourceLocation)
        let answer = try browser.post(
            form.action.isEmpty ? "/export" : form.action, form.setting("ids", to: ids), csrf: "",
            sourceLocation: sourceLocation)
        let location = answer.header("location") ?? ""
        try #require(
            answer.status == 303 && location.hasPrefix("/jobs/"),
            "starting the export: \(answer.status) \(location) \(answer.body.prefix(1_000))",
            sourceLocation: sourceLocation)
        return String(location.dropFirst("/jobs/".count))
    }

    /// Whether process `pid` is gone (or a zombie no one reaped: it runs no more).
    static func ended(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        guard let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state == "Z" || state == "X"
    }

    @Test func sigtermStopsTheConsoleAndAKilledConsoleLeavesItsJobInterrupted() throws {
        let workspace = try hosting(structures: 20, students: 150)
        // SIGTERM: the console stops, promptly, and says so.
        let first = try ConsoleServer(workspace, hosting: "h")
        let idle = ConsoleClient(base: first.base)
        try idle.signIn("marie", password: Self.password)
        first.send(SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while first.process.isRunning && Date() < deadline { usleep(20_000) }
        #expect(!first.process.isRunning, "the console still runs 5 s after SIGTERM")
        #expect(first.stop() == 0, "exit status after SIGTERM; stderr: \(first.errors.suffix(1_000))")
        #expect(first.output.contains("Console stopped."), "\(first.output)")

        // kill -9 while an export of 20 establishments runs.
        let second = try ConsoleServer(workspace, hosting: "h")
        let browser = ConsoleClient(base: second.base)
        try browser.signIn("marie", password: Self.password)
        let jobID = try startExport(browser)
        let record = workspace.path("h/console/jobs/\(jobID)/job.json")
        let job = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: record))) as? [String: Any])
        let jobPID = try #require((job["pid"] as? NSNumber)?.int32Value, "job.json has no pid: \(job)")
        #expect(job["state"] as? String == "running", "the export already ended before the kill: \(job)")
        second.killHard()
        // The job sees its standard input close and stops (as on SIGTERM); give it a generous while.
        let jobDeadline = Date().addingTimeInterval(60)
        while !Self.ended(jobPID) && Date() < jobDeadline { usleep(50_000) }
        #expect(Self.ended(jobPID), "the export job \(jobPID) still runs 60 s after its console was killed")

        // Restarted: the job is reported interrupted, and a doctor job cleans after it.
        let third = try ConsoleServer(workspace, hosting: "h")
        let again = ConsoleClient(base: third.base)
        try again.signIn("marie", password: Self.password)
        let page = try again.get("/jobs/\(jobID)")
        #expect(page.status == 200)
        #expect(page.body.contains("data-state=\"interrupted\""), "\(page.body.prefix(2_000))")
        let jobs = try FileManager.default.contentsOfDirectory(atPath: workspace.path("h/console/jobs"))
        let doctor = try jobs.compactMap { id -> String? in
            let data = try Data(contentsOf: URL(fileURLWithPath: workspace.path("h/console/jobs/\(id)/job.json")))
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            return object?["kind"] as? String == "doctor" ? id : nil
        }
        try #require(doctor.count == 1, "one doctor job after the restart: \(jobs)")
        let list = try again.get("/jobs")
        #expect(list.body.contains("/jobs/\(doctor[0])"), "the jobs page lists the doctor job")

        // A job's files are reached by plain name only: no way out of its files/ directory.
        for name in ["..%2Fjob.json", "..%2F..%2F..%2Ftransfert.yaml", "%2Fetc%2Fpasswd", "..", "%2E%2E%2Fjob.json"] {
            for id in [jobID, doctor[0]] {
                let answer = try again.get("/jobs/\(id)/files/\(name)")
                #expect(answer.status == 404, "/jobs/\(id)/files/\(name): \(answer.status)")
                expectSecurityHeaders(answer, "a refused download")
                #expect(
                    !answer.body.contains("\"state\"") && !answer.body.contains("root:"), "\(answer.body.prefix(300))")
            }
        }
        let traversal = try again.get("/jobs/..%2F..%2Ftransfert.yaml")
        #expect(traversal.status == 404, "a job id that is a path: \(traversal.status)")
    }

    @Test func theConsoleServesHTTPSWithItsOwnCertificate() throws {
        let openssl = try #require(which("openssl"), "openssl must be installed (make setup-test)")
        let workspace = try Workspace()
        let made = try run(
            openssl,
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", workspace.path("console.key"), "-out",
                workspace.path("console.pem"), "-days", "2", "-subj", "/CN=localhost",
            ])
        try #require(made.status == 0, "openssl: \(made.transcript)")
        try workspace.initHosting("h")
        let file = URL(fileURLWithPath: workspace.path("h/transfert.yaml"))
        let yaml = try String(contentsOf: file, encoding: .utf8)
        try
            (yaml
            + "\nconsole:\n  tls_certificate: \"\(workspace.path("console.pem"))\"\n  tls_key: \"\(workspace.path("console.key"))\"\n")
            .write(to: file, atomically: true, encoding: .utf8)
        try workspace.addConsoleUser("marie", password: Self.password, hosting: "h")
        let console = try ConsoleServer(workspace, hosting: "h")
        #expect(console.scheme == "https", "the console printed \(console.base)")
        let browser = ConsoleClient(base: "https://localhost:\(console.port)")
        let page = try browser.get("/sign-in")
        #expect(page.status == 200, "curl -k https://…/sign-in: \(page.status) (curl \(page.curlStatus))")
        #expect(page.header("strict-transport-security")?.contains("max-age=") == true, "\(page.headers)")
        expectSecurityHeaders(page, "HTTPS")
        try browser.signIn("marie", password: Self.password)
        #expect(try browser.get("/").status == 200)
        // Plain HTTP on the same port gets no page.
        let plain = ConsoleClient(base: "http://localhost:\(console.port)")
        let refused = (try? plain.get("/sign-in"))?.status ?? 0
        #expect(refused != 200, "plain HTTP served on the TLS port")
    }
}
