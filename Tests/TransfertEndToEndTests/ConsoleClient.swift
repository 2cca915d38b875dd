import Foundation
import Testing

/// One answer of the console as curl received it, every `Set-Cookie` kept (a dictionary of headers would
/// keep one).
struct ConsoleAnswer {
    var status: Int
    /// Header names in lower case; repeated headers joined with "\n".
    var headers: [String: String]
    var setCookies: [String]
    var body: String
    /// curl's own exit status: 0, or the transport error (the server closed the connection while curl sent).
    var curlStatus: Int32

    func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The `Set-Cookie` line of cookie `name`, if the answer set it.
    func setCookie(_ name: String) -> String? { setCookies.first { $0.hasPrefix("\(name)=") } }
}

/// A browser-less client of a running console: curl for every request (an independent HTTP client), the
/// cookies kept here by hand — so that a `Secure` cookie is sent over `http://localhost` as browsers do,
/// and so that a test can present any cookie it likes (a forged session, an old one).
final class ConsoleClient {
    let base: String
    var cookies: [String: String] = [:]
    /// The session's CSRF token, read from the last page that carried a form.
    var csrf: String?

    init(base: String) { self.base = base }

    /// Runs curl on `path` with the cookies; never follows redirects.
    func request(
        _ path: String, method: String = "GET", arguments: [String] = [], headers: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ConsoleAnswer {
        let curl = try #require(which("curl"), "curl must be installed", sourceLocation: sourceLocation)
        var options = ["-s", "-i", "-k", "--path-as-is", "--max-time", "120", "-H", "Expect:"]
        if method == "HEAD" { options.append("-I") } else if method != "GET" { options += ["-X", method] }
        if !cookies.isEmpty {
            options += [
                "-H",
                "Cookie: " + cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "),
            ]
        }
        for (name, value) in headers { options += ["-H", "\(name): \(value)"] }
        let result = try run(curl, options + arguments + [base + path])
        let answer = try Self.parse(result, sourceLocation: sourceLocation)
        for line in answer.setCookies {
            let pair = line.split(separator: ";", maxSplits: 1)[0]
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals])
            let value = String(pair[pair.index(after: equals)...])
            if value.isEmpty || line.lowercased().contains("max-age=0") {
                cookies[name] = nil
            } else {
                cookies[name] = value
            }
        }
        if let token = Self.csrfToken(in: answer.body) { csrf = token }
        return answer
    }

    func get(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ConsoleAnswer {
        try request(path, sourceLocation: sourceLocation)
    }

    /// POSTs a urlencoded form; the session's CSRF token is added unless `csrf` is given (`""`: none).
    func post(
        _ path: String, _ fields: [(String, String)], csrf: String? = nil, headers: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ConsoleAnswer {
        var all = fields
        if let token = csrf ?? self.csrf, !token.isEmpty { all.append(("csrf", token)) }
        let body = all.map { "\(Self.formEncoded($0.0))=\(Self.formEncoded($0.1))" }.joined(separator: "&")
        return try request(
            path, method: "POST",
            arguments: ["-H", "Content-Type: application/x-www-form-urlencoded", "--data-binary", body],
            headers: headers, sourceLocation: sourceLocation)
    }

    /// Signs in through the sign-in form, as a browser does: its page first (the form's token and cookie).
    @discardableResult
    func signIn(_ name: String, password: String, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> ConsoleAnswer
    {
        let page = try get("/sign-in", sourceLocation: sourceLocation)
        #expect(page.status == 200, "GET /sign-in: \(page.status)", sourceLocation: sourceLocation)
        let answer = try post("/sign-in", [("name", name), ("password", password)], sourceLocation: sourceLocation)
        #expect(
            answer.status == 302 && answer.header("location") == "/",
            "sign-in as \(name): \(answer.status) \(answer.body.prefix(500))", sourceLocation: sourceLocation)
        _ = try get("/", sourceLocation: sourceLocation)  // the session's own CSRF token
        return answer
    }

    /// A form of `html` by its id, as a browser would submit it untouched: its action and its fields with
    /// their default values (hidden and text inputs, checked boxes, selected options, text areas).
    func form(_ id: String, in html: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> HTMLForm {
        let script = """
            import sys, json, html.parser
            class Forms(html.parser.HTMLParser):
                def __init__(self, wanted):
                    super().__init__(convert_charrefs=True)
                    self.wanted, self.inside, self.form, self.select, self.textarea = wanted, False, None, None, None
                    self.fields, self.options = [], []
                def handle_starttag(self, tag, attrs):
                    a = dict(attrs)
                    if tag == 'form' and a.get('id') == self.wanted:
                        self.inside, self.form = True, {'action': a.get('action', ''), 'enctype': a.get('enctype', '')}
                    if not self.inside or 'name' not in a and tag in ('input', 'select', 'textarea'):
                        if tag == 'option' and self.select is not None:
                            self.select['options'].append((a.get('value', ''), 'selected' in a))
                        return
                    if tag == 'input':
                        kind = a.get('type', 'text').lower()
                        if kind in ('checkbox', 'radio'):
                            self.options.append([a['name'], a.get('value', 'on'), 'checked' in a, kind])
                            if 'checked' in a: self.fields.append([a['name'], a.get('value', 'on')])
                        elif kind not in ('submit', 'button', 'file', 'reset', 'image'):
                            self.fields.append([a['name'], a.get('value', '')])
                    elif tag == 'select':
                        self.select = {'name': a['name'], 'options': []}
                    elif tag == 'option' and self.select is not None:
                        self.select['options'].append((a.get('value', ''), 'selected' in a))
                    elif tag == 'textarea':
                        self.textarea = [a['name'], '']
                def handle_data(self, data):
                    if self.textarea is not None: self.textarea[1] += data
                def handle_endtag(self, tag):
                    if tag == 'select' and self.select is not None:
                        chosen = [v for v, s in self.select['options'] if s] or [v for v, _ in self.select['options'][:1]]
                        for v in chosen[:1]: self.fields.append([self.select['name'], v])
                        self.select = None
                    elif tag == 'textarea' and self.textarea is not None:
                        self.fields.append(self.textarea); self.textarea = None
                    elif tag == 'form' and self.inside:
                        self.inside = False
            parser = Forms(sys.argv[1])
            parser.feed(sys.stdin.read())
            print(json.dumps({'form': parser.form, 'fields': parser.fields, 'options': parser.options}))
            """
        let python = try #require(which("python3"), "python3 must be installed", sourceLocation: sourceLocation)
        let result = try run(python, ["-c", script, id], input: html)
        try #require(result.status == 0, "form parser: \(result.stderr)", sourceLocation: sourceLocation)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
            sourceLocation: sourceLocation)
        let form = try #require(
            object["form"] as? [String: String], "no form#\(id) in the page:\n\(html.prefix(3_000))",
            sourceLocation: sourceLocation)
        let fields = (object["fields"] as? [[String]] ?? []).map { ($0[0], $0[1]) }
        let options = (object["options"] as? [[Any]] ?? []).compactMap { option -> (String, String)? in
            guard let name = option[0] as? String, let value = option[1] as? String else { return nil }
            return (name, value)
        }
        return HTMLForm(action: form["action"] ?? "", fields: fields, choices: options)
    }

    static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(
            of: "%20", with: "+")
    }

    static func csrfToken(in html: String) -> String? {
        guard let match = html.firstMatch(of: /name="csrf" value="([^"]+)"/) else { return nil }
        return String(match.1)
    }

    /// curl -i's output: the final answer's status line, headers (100 Continue skipped) and body.
    static func parse(_ result: ProcessResult, sourceLocation: SourceLocation) throws -> ConsoleAnswer {
        var rest = result.stdout
        var status = 0
        var headers: [String: String] = [:]
        var setCookies: [String] = []
        repeat {
            guard let end = rest.range(of: "\r\n\r\n") else {
                if rest.isEmpty { break }
                throw TestFailure("curl gave no complete answer: \(result.transcript.prefix(2_000))")
            }
            let head = rest[..<end.lowerBound].components(separatedBy: "\r\n")
            rest = String(rest[end.upperBound...])
            let statusLine = head[0].split(separator: " ")
            status = statusLine.count >= 2 ? Int(statusLine[1]) ?? 0 : 0
            headers = [:]
            setCookies = []
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if name == "set-cookie" { setCookies.append(value) }
                headers[name] = headers[name].map { $0 + "\n" + value } ?? value
            }
        } while (100..<200).contains(status)
        return ConsoleAnswer(
            status: status, headers: headers, setCookies: setCookies, body: rest, curlStatus: result.status)
    }
}

/// A form as a browser would send it.
struct HTMLForm {
    var action: String
    /// Every field with its default value, in the page's order.
    var fields: [(String, String)]
    /// Every checkbox and radio button (name, value), checked or not.
    var choices: [(String, String)]

    /// The fields with `name` replaced by `values`.
    func setting(_ name: String, to values: [String]) -> [(String, String)] {
        fields.filter { $0.0 != name } + values.map { (name, $0) }
    }
}

/// A failure of the test's own machinery, with its reason.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
