import Foundation
import Testing

/// `transfert serve --port 0` on loopback for one test: the port is read from the first line it prints.
/// Always stopped (SIGTERM, then a wait) when released; ``stop()`` says how it ended.
final class PortalServer {
    private let served: ServingProcess
    let port: Int
    private var stopped: (status: Int32, output: String)?

    var process: Process { served.process }
    /// What the server wrote to standard error (a file: nothing can block on it).
    var errorLog: URL { served.errorLog }
    var base: String { "http://127.0.0.1:\(port)" }

    init(_ workspace: Workspace, hosting: String = "hosting", sourceLocation: SourceLocation = #_sourceLocation) throws
    {
        served = try ServingProcess(workspace, hosting: hosting, command: "serve", addressTimeout: 20)
        let first = served.firstLine
        let expectedStart = "Serving the portal of \(workspace.path(hosting)) on http://127.0.0.1:"
        let port =
            first.hasPrefix(expectedStart) && first.hasSuffix("/ (SIGTERM or Ctrl-C stops it)")
            ? Int(first.dropFirst(expectedStart.count).prefix { $0.isNumber }) : nil
        self.port = port ?? 0
        if port == nil { stop() }
        try #require(
            port != nil, "transfert serve did not print its address: \(first.debugDescription)\n\(errors)",
            sourceLocation: sourceLocation)
    }

    deinit { _ = stop() }

    /// Sends SIGTERM and waits (SIGKILL after 15 s): the exit status and what it printed after its first line.
    @discardableResult
    func stop() -> (status: Int32, output: String) {
        if let stopped { return stopped }
        served.terminate()
        let result = (process.terminationStatus, served.output)
        stopped = result
        return result
    }

    /// What the server wrote to standard error so far.
    var errors: String { served.errors }
}

/// One HTTP answer, as `curl -s -i` received it.
struct HTTPAnswer {
    var status: Int
    /// Header names in lower case.
    var headers: [String: String]
    var body: String

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body parsed as a JSON object.
    func object(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], "not a JSON object: \(body)",
            sourceLocation: sourceLocation)
    }
}

/// GET `url` with curl (not URLSession: an independent client); `method` asks another one (`HEAD` with `-I`).
func httpGet(_ url: String, method: String = "GET", sourceLocation: SourceLocation = #_sourceLocation) throws
    -> HTTPAnswer
{
    let curl = try #require(which("curl"), "curl must be installed", sourceLocation: sourceLocation)
    let asked = method == "GET" ? [] : method == "HEAD" ? ["-I"] : ["-X", method]
    let result = try run(curl, ["-s", "-i", "--max-time", "10"] + asked + [url])
    try #require(result.status == 0, "curl \(url) failed:\n\(result.transcript)", sourceLocation: sourceLocation)
    let parts = result.stdout.components(separatedBy: "\r\n\r\n")
    let head = parts[0].components(separatedBy: "\r\n")
    let statusLine = head[0].split(separator: " ")
    let status = try #require(
        statusLine.count >= 2 ? Int(statusLine[1]) : nil, "no status line: \(head[0])", sourceLocation: sourceLocation)
    var headers: [String: String] = [:]
    for line in head.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return HTTPAnswer(status: status, headers: headers, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
}

/// GET `url` every 50 ms until `until` holds of the answer, for at most a second — the portal shows a
/// change to the registry within one (it polls the registry's revision every 250 ms) — then fails with the
/// last answer it saw. Returns that answer.
@discardableResult
func httpGet(
    _ url: String, until: (HTTPAnswer) throws -> Bool, _ what: String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> HTTPAnswer {
    let deadline = Date().addingTimeInterval(1)
    var answer = try httpGet(url, sourceLocation: sourceLocation)
    while try !until(answer) {
        guard Date() < deadline else {
            Issue.record(
                "not shown within 1 s\(what.isEmpty ? "" : ": " + what); GET \(url) still answers \(answer.status) \(answer.headers)\n\(answer.body)",
                sourceLocation: sourceLocation)
            return answer
        }
        Thread.sleep(forTimeInterval: 0.05)
        answer = try httpGet(url, sourceLocation: sourceLocation)
    }
    return answer
}

/// The text a reader sees in an HTML page (Python's html.parser: entities decoded; head, style and script left
/// out), whitespace collapsed to single spaces.
func visibleText(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let script = """
        import sys, html.parser
        class Text(html.parser.HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.skip = 0
                self.parts = []
            def handle_starttag(self, tag, attrs):
                if tag in ('head', 'style', 'script', 'title'): self.skip += 1
            def handle_endtag(self, tag):
                if tag in ('head', 'style', 'script', 'title'): self.skip -= 1
            def handle_data(self, data):
                if self.skip == 0: self.parts.append(data)
        parser = Text()
        parser.feed(sys.stdin.read())
        parser.close()
        print(' '.join(' '.join(parser.parts).split()))
        """
    let result = try run(
        try #require(which("python3"), "python3 must be installed", sourceLocation: sourceLocation), ["-c", script],
        input: html)
    try #require(result.status == 0, "html.parser failed:\n\(result.transcript)", sourceLocation: sourceLocation)
    return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}

@Suite("The portal", .serialized)
struct PortalTests {
    typealias F = MaintenanceFixture

    /// The headers every answer carries.
    func expectCommonHeaders(_ answer: HTTPAnswer, html: Bool = true, sourceLocation: SourceLocation = #_sourceLocation)
    {
        #expect(answer.header("Cache-Control") == "no-store", sourceLocation: sourceLocation)
        #expect(answer.header("X-Content-Type-Options") == "nosniff", sourceLocation: sourceLocation)
        let csp = answer.header("Content-Security-Policy") ?? ""
        #expect(csp.hasPrefix("default-src 'none'"), "\(csp)", sourceLocation: sourceLocation)
        #expect(csp.contains("frame-ancestors 'none'"), "\(csp)", sourceLocation: sourceLocation)
        #expect(!csp.contains("script-src"), "the pages have no script: \(csp)", sourceLocation: sourceLocation)
        if html {
            #expect(answer.header("Content-Type") == "text/html; charset=utf-8", sourceLocation: sourceLocation)
            #expect(answer.header("Content-Language") == "fr", sourceLocation: sourceLocation)
            #expect(answer.body.hasPrefix("<!DOCTYPE html>\n<html lang=\"fr\">"), sourceLocation: sourceLocation)
        } else {
            #expect(answer.header("Content-Type") == "application/json; charset=utf-8", sourceLocation: sourceLocation)
        }
    }

    @Test func startsOnAFreePortAnswersHealthAndStopsCleanlyOnSIGTERM() throws {
        let workspace = try F.workspace()
        let server = try PortalServer(workspace)
        #expect(server.port > 0 && server.port < 65_536)

        let health = try httpGet("\(server.base)/health")
        #expect(health.status == 200)
        expectCommonHeaders(health, html: false)
        let object = try health.object()
        #expect(object["status"] as? String == "ok")
        #expect(object["establishments"] as? Int == 3)
        let checked = try #require(F.date(object["checked_at"]), "checked_at is ISO 8601: \(object)")
        #expect(abs(checked.timeIntervalSinceNow) < 60)

        // Registry read at each request: an establishment added now is counted.
        try workspace.succeed([
            "structure", "add", "--uai", "0250010A", "--denomination", "Collège Lucie Aubrac", "--localisation",
            "Besançon",
            "--contact-nom", "Lefèvre", "--contact-prenom", "Joël", "--contact-courriel", "joel.lefevre@ac-besancon.fr",
        ])
        #expect(try httpGet("\(server.base)/health").object()["establishments"] as? Int == 4)

        // HEAD is GET without the body, over real HTTP; other methods are refused with the allowed ones.
        let page = try httpGet("\(server.base)/?id=1")
        let head = try httpGet("\(server.base)/?id=1", method: "HEAD")
        #expect(head.status == page.status && head.body.isEmpty)
        #expect(head.header("content-length") == String(page.body.utf8.count), "HEAD says the length GET sends")
        for path in ["/?id=1", "/status?id=1", "/health"] {
            let post = try httpGet("\(server.base)\(path)", method: "POST")
            #expect(post.status == 405 && post.header("allow") == "GET, HEAD", "POST \(path)")
        }

        let (status, output) = server.stop()
        #expect(status == 0, "exit status after SIGTERM\n\(output)\n\(server.errors)")
        #expect(output.contains("Portal stopped."), "\(output)\n\(server.errors)")
        #expect(!server.process.isRunning)
        #expect(server.process.terminationReason == .exit, "it exits by itself, not killed by the signal")
        // Nothing listens on the port any more.
        let curl = try run(try #require(which("curl")), ["-s", "--max-time", "5", "\(server.base)/health"])
        #expect(curl.status == 7, "connection refused after the stop: \(curl.transcript)")
    }

    @Test func entryPageFormAndErrors() throws {
        let workspace = try F.workspace()
        let server = try PortalServer(workspace)

        for (id, establishment) in F.establishments {
            let page = try httpGet("\(server.base)/?id=\(id)")
            #expect(page.status == 200, "\(id): \(page.body)")
            expectCommonHeaders(page)
            #expect(page.header("Retry-After") == nil)
            let text = try visibleText(page.body)
            #expect(text.contains(establishment.name), "\(text)")
            #expect(text.contains("Localisation \(establishment.place)"), "\(text)")
            #expect(text.contains("UAI \(establishment.uai)"), "\(text)")
            #expect(text.contains("L'accès à l'établissement est ouvert."), "\(text)")
            #expect(!text.contains("Maintenance"), "\(text)")
            #expect(
                page.body.contains(
                    "<title>\(establishment.name.replacingOccurrences(of: "'", with: "&#39;")) · \(F.application)</title>"
                ), "\(page.body)")
        }
        let status = try httpGet("\(server.base)/status?id=1")
        #expect(status.status == 200)
        expectCommonHeaders(status, html: false)
        let open = try status.object()
        #expect(open["id"] as? Int == 1)
        #expect(open["state"] as? String == "open")
        #expect(
            open["establishment"] as? [String: String] == [
                "name": "Lycée Marie Curie", "place": "Nîmes", "uai": "0593731K",
            ])
        #expect(open["message"] == nil || open["message"] is NSNull)
        #expect(open["retry_after"] == nil || open["retry_after"] is NSNull)
        #expect((open["locks"] as? [Any])?.isEmpty == true)

        let unknown = try httpGet("\(server.base)/?id=9")
        #expect(unknown.status == 404)
        expectCommonHeaders(unknown)
        #expect(try visibleText(unknown.body).contains("Établissement inconnu"))
        #expect(try httpGet("\(server.base)/status?id=9").status == 404)

        for bad in ["abc", "-1", "0", "1.5", "%201", "99999999999999999999999"] {
            let answer = try httpGet("\(server.base)/?id=\(bad)")
            #expect(answer.status == 400, "?id=\(bad) answered \(answer.status)")
            expectCommonHeaders(answer)
            #expect(try visibleText(answer.body).contains("Adresse incorrecte"), "?id=\(bad)")
            #expect(try httpGet("\(server.base)/status?id=\(bad)").status == 400, "/status?id=\(bad)")
        }
        #expect(try httpGet("\(server.base)/status").status == 400)

        let form = try httpGet("\(server.base)/")
        #expect(form.status == 200)
        expectCommonHeaders(form)
        #expect(form.body.contains("<form method=\"get\""), "\(form.body)")
        #expect(form.body.contains("name=\"id\""))
        let formText = try visibleText(form.body)
        #expect(formText.contains("Accès aux établissements"), "\(formText)")
        #expect(formText.contains("Numéro de l'établissement"), "\(formText)")
    }

    @Test func aPlannedWindowShowsItsWarningAndAWindowInProgressAnswers503WithRetryAfter() throws {
        let workspace = try F.workspace()
        let y = F.year
        try workspace.replaceConfigurationLine("disconnect_after: 15", with: "disconnect_after: 30")
        try workspace.succeed(["maintenance", "plan", "--ids", "1", "--start", "\(y)-12-01 13:00", "--duration", "45m"])
        let plan = try workspace.jsonObject([
            "maintenance", "plan", "--ids", "2", "--start", "now", "--duration", "1h",
            "--message", "Les notes saisies ce matin sont enregistrées.", "--json",
        ])
        try workspace.succeed([
            "maintenance", "plan", "--ids", "3", "--start", "now", "--duration", "20m", "--type", "deployment",
        ])
        let server = try PortalServer(workspace)

        // Planned: open, with the warning banner.
        let warned = try httpGet("\(server.base)/?id=1")
        #expect(warned.status == 200)
        #expect(warned.header("Retry-After") == nil)
        let warnedText = try visibleText(warned.body)
        #expect(
            warnedText.contains(
                "Maintenance planifiée \(F.databaseWarning(("01/12/\(y)", "13:00"), ("01/12/\(y)", "13:45")))"),
            "\(warnedText)")
        #expect(warnedText.contains("L'accès à l'établissement est ouvert."), "\(warnedText)")
        let warning = try httpGet("\(server.base)/status?id=1").object()
        #expect(warning["state"] as? String == "warning")
        #expect((warning["window"] as? [String: Any])?["state"] as? String == "planned")
        #expect((warning["window"] as? [String: Any])?["start"] as? String == "\(y)-12-01T13:00:00+01:00")

        // In progress: 503, Retry-After counts the seconds to the end.
        let closed = try httpGet("\(server.base)/?id=2")
        #expect(closed.status == 503)
        expectCommonHeaders(closed)
        let retryAfter = try #require(
            closed.header("Retry-After").flatMap { Int($0) }, "Retry-After: \(closed.headers)")
        #expect((3_540...3_600).contains(retryAfter), "\(retryAfter)")
        #expect(closed.body.contains("<title>Maintenance en cours · \(F.application)</title>"))
        let text = try visibleText(closed.body)
        let during = try #require(plan["during"] as? String)
        #expect(
            during.hasPrefix(
                "Une phase de maintenance de la base de données est actuellement en cours. Le service sera à nouveau disponible le "
            ))
        #expect(text.contains("École primaire Jules Ferry"), "\(text)")
        #expect(
            text.contains(
                "Maintenance en cours \(during) Les notes saisies ce matin sont enregistrées. Merci de réessayer plus tard."
            ), "\(text)")
        #expect(!text.contains("L'accès à l'établissement est ouvert."))

        let status = try httpGet("\(server.base)/status?id=2")
        #expect(status.status == 200, "the JSON answers 200: the state is in the body")
        expectCommonHeaders(status, html: false)
        let state = try status.object()
        #expect(state["id"] as? Int == 2)
        #expect(state["state"] as? String == "maintenance")
        #expect((state["establishment"] as? [String: Any])?["name"] as? String == "École primaire Jules Ferry")
        #expect(state["message"] as? String == during)
        #expect(state["note"] as? String == "Les notes saisies ce matin sont enregistrées.")
        #expect(state["until"] as? String == plan["end"] as? String)
        let seconds = try #require(state["retry_after"] as? Int)
        #expect(abs(seconds - retryAfter) <= 2)
        let window = try #require(state["window"] as? [String: Any])
        #expect(window["number"] as? Int == plan["number"] as? Int)
        #expect(window["type"] as? String == "database")
        #expect(window["state"] as? String == "in progress")
        #expect(
            window["start"] as? String == plan["start"] as? String && window["end"] as? String == plan["end"] as? String
        )
        let disconnect = try #require(state["disconnect"] as? [String: Any])
        #expect(disconnect["after_seconds"] as? Int == 30, "disconnect_after from transfert.yaml")
        #expect(
            (disconnect["message"] as? String)?.hasPrefix(
                "Une phase de maintenance de la base de données commence : vous allez être déconnecté dans 30 secondes."
            ) == true)
        #expect((state["locks"] as? [Any])?.isEmpty == true)
        #expect(state["lock"] == nil || state["lock"] is NSNull)
        #expect(F.date(state["checked_at"]) != nil)
        // /status is what `maintenance preview --json` prints.
        let preview = try workspace.jsonObject(["maintenance", "preview", "--id", "2", "--json"])
        #expect(Set(preview.keys) == Set(state.keys))
        #expect(preview["message"] as? String == state["message"] as? String)

        // A deployment says so.
        let deployment = try httpGet("\(server.base)/?id=3")
        #expect(deployment.status == 503)
        #expect(
            try visibleText(deployment.body).contains(
                "Une nouvelle version est en cours d'installation. Le service sera à nouveau disponible le "))
        #expect((1_140...1_200).contains(Int(deployment.header("Retry-After") ?? "") ?? 0), "\(deployment.headers)")
    }

    @Test func aLockAnswers503WithoutRetryAfter() throws {
        let workspace = try F.workspace()
        let server = try PortalServer(workspace)
        try workspace.succeed([
            "lock", "add", "--ids", "1", "--reason", "Transfert vers le nouveau serveur, retour à 14 h",
        ])

        let locked = try httpGet("\(server.base)/?id=1", until: { $0.status == 503 })
        expectCommonHeaders(locked)
        #expect(locked.header("Retry-After") == nil, "a lock has no known end: \(locked.headers)")
        #expect(locked.body.contains("<title>Accès momentanément fermé · \(F.application)</title>"))
        let text = try visibleText(locked.body)
        #expect(text.contains("Lycée Marie Curie"), "\(text)")
        #expect(
            text.contains(
                "Accès momentanément fermé L'accès à \(F.application) est momentanément fermé : Transfert vers le nouveau serveur, retour à 14 h Merci de réessayer plus tard."
            ),
            "\(text)")
        let state = try httpGet("\(server.base)/status?id=1").object()
        #expect(state["state"] as? String == "locked")
        #expect((state["lock"] as? [String: Any])?["kind"] as? String == "webmaster")
        #expect(
            (state["lock"] as? [String: Any])?["reason"] as? String
                == "Transfert vers le nouveau serveur, retour à 14 h")
        #expect(state["retry_after"] == nil || state["retry_after"] is NSNull)
        #expect(state["until"] == nil || state["until"] is NSNull)
        let disconnect = try #require(state["disconnect"] as? [String: Any])
        #expect(
            (disconnect["message"] as? String)?.contains(
                "(Transfert vers le nouveau serveur, retour à 14 h) : vous allez être déconnecté dans 15 secondes")
                == true)
        #expect(disconnect["after_seconds"] as? Int == 15)
        #expect(try httpGet("\(server.base)/?id=2").status == 200, "only establishment 1 is locked")

        // An administrator's lock closes too; a lock on all closes every establishment.
        try workspace.succeed(["lock", "add", "--ids", "2", "--kind", "administrator", "--reason", "Conseil de classe"])
        try httpGet("\(server.base)/?id=2", until: { $0.status == 503 })
        try workspace.succeed(["lock", "add", "--all", "--reason", "Migration du serveur"])
        let three = try httpGet("\(server.base)/?id=3", until: { $0.status == 503 })
        #expect(three.status == 503 && three.header("Retry-After") == nil)
        #expect(try visibleText(three.body).contains("est momentanément fermé : Migration du serveur"))
        #expect(
            (try httpGet("\(server.base)/status?id=2").object()["lock"] as? [String: Any])?["reason"] as? String
                == "Migration du serveur",
            "the lock on all comes before the administrator's")

        try workspace.succeed(["lock", "release", "--yes", "--all"])
        try httpGet("\(server.base)/?id=1", until: { $0.status == 200 })
        #expect(try httpGet("\(server.base)/?id=3").status == 200)
        #expect(try httpGet("\(server.base)/?id=2").status == 503, "the administrator's lock stays")
        try workspace.succeed(["lock", "release", "--yes", "--ids", "2", "--kind", "administrator"])
        try httpGet("\(server.base)/?id=2", until: { $0.status == 200 })
    }

    /// /status writes every time one way: ISO 8601 with the hosting's offset (Europe/Paris here), never UTC's Z.
    @Test func statusWritesEveryTimeWithTheHostingsOffset() throws {
        let workspace = try F.workspace()
        let server = try PortalServer(workspace)
        try workspace.succeed(["maintenance", "plan", "--ids", "1,2", "--start", "now", "--duration", "30m"])
        try workspace.succeed(["lock", "add", "--ids", "1", "--kind", "administrator", "--reason", "Conseil de classe"])
        try workspace.succeed(["lock", "add", "--ids", "1", "--reason", "Migration du serveur"])
        try workspace.succeed(["export", "--ids", "1", "--keep-locked", "--out", workspace.path("out")])
        let state = try httpGet(
            "\(server.base)/status?id=1", until: { (try $0.object()["locks"] as? [Any])?.count == 3 }
        ).object()
        let during = try httpGet("\(server.base)/status?id=2").object()
        /// Every string value that parses as an ISO 8601 time, with its key path.
        func times(_ value: Any, path: String) -> [(String, String)] {
            if let object = value as? [String: Any] {
                return object.flatMap { times($0.value, path: path + "." + $0.key) }
            }
            if let array = value as? [Any] {
                return array.enumerated().flatMap { times($0.element, path: path + "[\($0.offset)]") }
            }
            if let text = value as? String, ISO8601DateFormatter().date(from: text) != nil { return [(path, text)] }
            return []
        }
        let found = times(state, path: "") + times(during, path: "2")
        let keys = Set(found.map { $0.0 })
        for expected in [
            ".checked_at", ".window.start", ".window.end", ".lock.since", ".locks[0].since", ".locks[1].since",
            ".locks[2].since",
            "2.until", "2.checked_at", "2.window.start",
        ] {
            #expect(keys.contains(expected), "\(expected) in \(found)")
        }
        for (path, text) in found {
            let date = try #require(ISO8601DateFormatter().date(from: text))
            #expect(text == F.iso(date), "\(path) is \(text), not with the Paris offset")
        }
        let health = try httpGet("\(server.base)/health").object()
        let checked = try #require(health["checked_at"] as? String)
        #expect(checked == F.iso(try #require(ISO8601DateFormatter().date(from: checked))))
        // `maintenance preview --json` is the same answer.
        let preview = try workspace.jsonObject(["maintenance", "preview", "--id", "1", "--json"])
        for (path, text) in times(preview, path: "") {
            #expect(text == F.iso(try #require(ISO8601DateFormatter().date(from: text))), "preview \(path) is \(text)")
        }
    }

    @Test func whatTheCommandLineChangesShowsWithinASecond() throws {
        let workspace = try F.workspace()
        let server = try PortalServer(workspace)
        #expect(try httpGet("\(server.base)/?id=1").status == 200)

        let plan = try workspace.jsonObject([
            "maintenance", "plan", "--ids", "1", "--start", "now", "--duration", "30m", "--json",
        ])
        let closed = try httpGet("\(server.base)/?id=1", until: { $0.status == 503 }, "no restart needed")
        #expect(try visibleText(closed.body).contains(try #require(plan["during"] as? String)))
        #expect(try httpGet("\(server.base)/?id=2").status == 200)

        // Edited: the new end shows; cancelled: service is back.
        let edited = try workspace.jsonObject(["maintenance", "edit", "1", "--duration", "2h", "--json"])
        let retry =
            Int(
                try httpGet("\(server.base)/?id=1", until: { Int($0.header("Retry-After") ?? "") ?? 0 > 1_800 })
                    .header("Retry-After") ?? "") ?? 0
        #expect((7_140...7_200).contains(retry), "\(retry)")
        #expect(try httpGet("\(server.base)/status?id=1").object()["until"] as? String == edited["end"] as? String)
        try workspace.succeed(["maintenance", "cancel", "--yes", "1"])
        let back = try httpGet("\(server.base)/?id=1", until: { $0.status == 200 })
        #expect(try visibleText(back.body).contains("L'accès à l'établissement est ouvert."))

        try workspace.succeed(["maintenance", "plan", "--all", "--start", "\(F.year)-12-01 13:00", "--duration", "45m"])
        for id in 1...3 {
            let page = try httpGet("\(server.base)/?id=\(id)", until: { $0.body.contains("Maintenance planifi") })
            #expect(page.status == 200)
            #expect(try visibleText(page.body).contains("Maintenance planifiée"), "\(id)")
        }
        #expect(server.process.isRunning)
    }

    /// The portal answers from memory and reads the registry again when its revision moves: a lock, a window,
    /// a new establishment and a removal made by other processes show within a second, each checked by
    /// polling (every 50 ms, up to 1 s).
    @Test func aLockAWindowAnAdditionAndARemovalShowWithinASecond() throws {
        let workspace = try F.workspace()
        let server = try PortalServer(workspace)
        #expect(try httpGet("\(server.base)/status?id=1").object()["state"] as? String == "open")

        try workspace.succeed(["lock", "add", "--ids", "1", "--reason", "Transfert en cours"])
        let locked = try httpGet(
            "\(server.base)/status?id=1", until: { try $0.object()["state"] as? String == "locked" }, "the lock")
        #expect((try locked.object()["lock"] as? [String: Any])?["reason"] as? String == "Transfert en cours")

        try workspace.succeed(["maintenance", "plan", "--ids", "2", "--start", "now", "--duration", "30m"])
        let closed = try httpGet("\(server.base)/?id=2", until: { $0.status == 503 }, "the window")
        #expect((1_740...1_800).contains(Int(closed.header("Retry-After") ?? "") ?? 0), "\(closed.headers)")

        #expect(try httpGet("\(server.base)/status?id=4").status == 404)
        try workspace.succeed([
            "structure", "add", "--uai", "0250010A", "--denomination", "Collège Lucie Aubrac", "--localisation",
            "Besançon", "--contact-nom", "Lefèvre", "--contact-prenom", "Joël", "--contact-courriel",
            "joel.lefevre@ac-besancon.fr",
        ])
        try httpGet("\(server.base)/status?id=4", until: { $0.status == 200 }, "the new establishment")

        try workspace.succeed(["structure", "remove", "--ids", "3", "--force", "--yes"])
        try httpGet("\(server.base)/?id=3", until: { $0.status == 404 }, "the removal")
        #expect(try httpGet("\(server.base)/?id=1").status == 503, "the rest is as it was")
        #expect(server.process.isRunning)
    }

    @Test func namesReasonsAndMessagesAreEscapedInPages() throws {
        let workspace = try F.workspace()
        let hostile = "Collège <script>alert(1)</script> \"&' Hôtel"
        let place = "Besançon <b>gras</b>"
        let note = "Note <script>alert(1)</script> \"&' <img src=x onerror=alert(2)>"
        let reason = "Raison <script>alert(1)</script> \"&'"
        let added = try workspace.succeed([
            "structure", "add", "--uai", "0250010A", "--denomination", hostile, "--localisation", place,
            "--contact-nom", "Lefèvre", "--contact-prenom", "Joël", "--contact-courriel", "joel.lefevre@ac-besancon.fr",
        ])
        #expect(added.stdout.contains("Added establishment 4"), "\(added.transcript)")
        try workspace.succeed([
            "maintenance", "plan", "--ids", "4", "--start", "\(F.year)-12-01 13:00", "--duration", "45m", "--message",
            note,
        ])
        let server = try PortalServer(workspace)

        func expectEscaped(_ page: HTTPAnswer, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(
                page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(page.body)",
                sourceLocation: sourceLocation)
            #expect(!page.body.contains("<script"), "no script element: \(page.body)", sourceLocation: sourceLocation)
            #expect(!page.body.contains("<img"), sourceLocation: sourceLocation)
            #expect(!page.body.contains("<b>"), sourceLocation: sourceLocation)
            #expect(
                !page.body.contains("\"&'"), "quotes and ampersand escaped: \(page.body)",
                sourceLocation: sourceLocation)
            #expect(page.body.contains("&quot;&amp;"), sourceLocation: sourceLocation)
        }

        let warned = try httpGet("\(server.base)/?id=4")
        #expect(warned.status == 200)
        expectEscaped(warned)
        #expect(
            warned.body.contains("<title>Collège &lt;script&gt;alert(1)&lt;/script&gt; &quot;&amp;"),
            "the title too: \(warned.body)")
        // Escaped once, not twice: a reader sees exactly what was typed.
        let text = try visibleText(warned.body)
        #expect(text.contains(hostile), "\(text)")
        #expect(text.contains(place), "\(text)")
        #expect(text.contains(note), "\(text)")
        // JSON carries the text as it is.
        let state = try httpGet("\(server.base)/status?id=4").object()
        #expect((state["establishment"] as? [String: Any])?["name"] as? String == hostile)
        #expect(state["note"] as? String == note)

        try workspace.succeed(["lock", "add", "--ids", "4", "--reason", reason])
        let locked = try httpGet("\(server.base)/?id=4", until: { $0.status == 503 })
        expectEscaped(locked)
        #expect(try visibleText(locked.body).contains("est momentanément fermé : \(reason)"))
        #expect(
            (try httpGet("\(server.base)/status?id=4").object()["lock"] as? [String: Any])?["reason"] as? String
                == reason)
    }
}
