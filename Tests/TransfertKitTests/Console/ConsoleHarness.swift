import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

@testable import TransfertConsole
@testable import TransfertKit

/// The `transfert` binary the console's jobs run: `$TRANSFERT_BIN` (set by `make test`), else the debug build.
let consoleJobBinary: URL = {
    if let path = ProcessInfo.processInfo.environment["TRANSFERT_BIN"], !path.isEmpty {
        return URL(fileURLWithPath: path)
    }
    return repositoryRoot.appendingPathComponent(".build/debug/transfert")
}()

/// A hosting in a temporary directory with a console over it and two accounts: `marie` (webmaster) and
/// `paul` (auditor), both with ``password``. Accounts are hashed at bcrypt's lowest cost: the tests check
/// the console, not bcrypt's slowness.
final class ConsoleHarness {
    static let password = "mot-de-passe-solide"
    let temporary: TemporaryDirectory
    let hosting: Hosting
    let services: ConsoleServices
    let console: Console

    init(settings: ConsoleSettings = ConsoleSettings(), establishments: Int = 0) throws {
        temporary = try TemporaryDirectory()
        hosting = try makeHosting(in: temporary)
        for index in 0..<establishments {
            _ = try hosting.addStructure(
                newStructure(uai: nil, email: "contact\(index)@ac-paris.fr"))
        }
        let accounts = ConsoleAccounts(hosting: hosting.directory)
        let cheap = ConsoleAccounts(file: accounts.file, cost: 4)
        try cheap.add(name: "marie", role: .webmaster, password: Self.password)
        try cheap.add(name: "paul", role: .auditor, password: Self.password)
        services = ConsoleServices(
            configuration: ConsoleConfiguration(
                hostingDirectory: hosting.directory, executable: consoleJobBinary, settings: settings),
            hosting: hosting)
        // Refusals are what these tests provoke: the log stays quiet unless something errs.
        var logger = Logger(label: "console-test")
        logger.logLevel = .error
        console = Console(services: services, logger: logger)
    }

    /// Runs `body` with a browser-like client over the console's router (no socket: see PortalTests for why).
    func test(_ body: @escaping @Sendable (ConsoleBrowser) async throws -> Void) async throws {
        let application = Application(router: console.router())
        try await application.test(.router) { client in
            try await body(ConsoleBrowser(client: client))
        }
    }
}

/// A page as the browser received it.
struct ConsolePage: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: String

    /// The CSRF token of the page's first form.
    var csrf: String? {
        guard let range = body.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(body[range.upperBound...].prefix { $0 != "\"" })
    }
}

/// Keeps cookies like a browser (the Set-Cookie of each answer, sent back with the next request) and
/// fills forms' CSRF tokens from the last page seen.
final class ConsoleBrowser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var lastPage: ConsolePage?

    init(client: any TestClientProtocol) { self.client = client }

    @discardableResult
    func get(_ uri: String) async throws -> ConsolePage {
        try await send(uri, method: .get, headers: [:], body: nil)
    }

    /// Posts `fields` as a form; the session's CSRF token is added unless `csrf` says otherwise.
    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)], csrf: String?? = .none) async throws -> ConsolePage {
        var all = fields
        let token: String? = csrf ?? lastPage?.csrf
        if let token { all.append(("csrf", token)) }
        let encoded = all.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
        return try await send(
            uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: encoded))
    }

    /// Posts a multipart upload of `files` (field, file name, bytes) and text `fields`, with the CSRF token
    /// in the query as the console's upload forms do.
    @discardableResult
    func upload(_ uri: String, files: [(String, String, [UInt8])], fields: [(String, String)] = [], csrf: String? = nil)
        async throws -> ConsolePage
    {
        let boundary = "----transfert-test-boundary"
        var body = ByteBuffer()
        for (name, value) in fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for (field, filename, bytes) in files {
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            body.writeBytes(bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        let token = csrf ?? lastPage?.csrf ?? ""
        let separator = uri.contains("?") ? "&" : "?"
        return try await send(
            uri + separator + "csrf=" + Self.encode(token), method: .post,
            headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body)
    }

    /// Signs in through the sign-in form.
    @discardableResult
    func signIn(_ name: String, password: String = ConsoleHarness.password) async throws -> ConsolePage {
        try await get("/sign-in")
        return try await post("/sign-in", [("name", name), ("password", password)])
    }

    func send(_ uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws
        -> ConsolePage
    {
        var headers = headers
        if !cookies.isEmpty {
            headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
        }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for line in response.headers[values: .setCookie] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = String(pair[0])
            let value = String(pair[1])
            if value.isEmpty || line.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        let page = ConsolePage(status: response.status, headers: response.headers, body: String(buffer: response.body))
        if page.body.contains("name=\"csrf\"") { lastPage = page }
        return page
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
            ?? text
    }
}
