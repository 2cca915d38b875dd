import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// The hosting as its users and the hosted application meet it (`transfert serve`):
///
/// - `GET /?id=N` — the establishment's entry page, with the warning of a planned window; during a window
///   or a lock, the maintenance page with HTTP 503 and `Retry-After` (seconds to the window's end, when
///   known); 404 for an unknown establishment; without `id`, a form asking for it.
/// - `GET /status?id=N` — the same state as JSON (``AccessState``), for the application to consult.
/// - `GET /health` — `{"status":"ok"}` while the registry answers, 503 otherwise, for monitoring.
///
/// Requests answer from what `source` holds in memory (``HostingStateSource`` keeps a snapshot of the
/// registry, read again within 250 ms of a change): what the command line changes shows within a second,
/// and no request waits for the registry. `/health` reads the registry itself.
///
/// ```swift
/// let source = HostingStateSource(registry: hosting.registry, settings: AccessSettings(configuration: …, application: "SACoche"))
/// let portal = Portal(source: source, language: "fr", application: "SACoche",
///                     logger: Logger(label: "transfert.portal"))
/// try await portal.application(host: "127.0.0.1", port: 8080) { port in print("listening on \(port)") }.runService()
/// ```
public struct Portal: Sendable {
    public let source: any AccessStateSource
    public let language: String
    let pages: PortalPage
    /// Establishments' pages already rendered: a rush on one establishment renders its page once.
    let rendered = PortalPageCache()
    /// `/status` answers already encoded, shared by the requests of one second about one establishment.
    let encoded = PortalStatusCache()
    let now: @Sendable () -> Date
    /// How `/health` writes its time (the hosting's zone, as `/status` does).
    let time: MaintenanceTime
    let reads = DispatchQueue(label: "transfert.portal.registry")
    /// The server's log (Hummingbird's): given by whoever runs the portal, who decides where it goes and
    /// from which level.
    let logger: Logger

    public init(
        source: any AccessStateSource, language: String, application: String,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.time = MaintenanceTime(timeZone: timeZone)
        self.source = source
        self.language = language
        self.pages = PortalPage(language: language, application: application)
        self.logger = logger
        self.now = now
    }

    /// The routes, for ``application(host:port:onListening:)`` and for tests.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let routes: [(RouterPath, @Sendable (Request) async throws -> Response)] = [
            ("/", { try await self.entry($0) }),
            ("/status", { try await self.status($0) }),
            ("/health", { _ in try await self.health() }),
        ]
        for (path, answer) in routes {
            router.get(path) { request, _ in try await answer(request) }
            // HEAD is GET without the body (monitors and proxies ask it); the headers stay, Content-Length too.
            router.head(path) { request, _ in
                let response = try await answer(request)
                var headers = response.headers
                headers[.contentLength] = response.body.contentLength.map(String.init)
                return Response(status: response.status, headers: headers, body: .init())
            }
            for method in [HTTPRequest.Method.post, .put, .delete, .patch, .options] {
                router.on(path, method: method) { _, _ in
                    var headers = Self.commonHeaders
                    headers[.allow] = "GET, HEAD"
                    return Response(status: .methodNotAllowed, headers: headers)
                }
            }
        }
        return router
    }

    /// The server: bound to `host:port` (port 0 picks a free one, given to `onListening`), stopped
    /// gracefully by SIGTERM or SIGINT when run with `runService()` — answers under way get
    /// ``PortalLimits/shutdownGrace`` seconds, then every connection closes. Each connection is bounded by
    /// `limits` (``PortalChildChannel``). Logged through the portal's `logger`, at the level it was given.
    public func application(
        host: String, port: Int, limits: PortalLimits = PortalLimits(),
        onListening: @escaping @Sendable (Int) -> Void
    ) -> some ApplicationProtocol {
        let cap = ConnectionCap(limit: limits.maxConnections, logger: logger)
        return Application(
            router: router(),
            server: HTTPServerBuilder { responder in
                PortalChildChannel(responder: responder, limits: limits, cap: cap)
            },
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "Transfert"),
            onServerRunning: { channel in onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    // MARK: - Routes

    func entry(_ request: Request) async throws -> Response {
        guard let text = request.uri.queryParameters.get("id") else { return html(.ok, pages.welcome()) }
        guard let id = Self.establishmentID(text) else {
            return html(.badRequest, pages.problem(title: pages.text.badRequestTitle, body: pages.text.badRequestBody))
        }
        let state: AccessState?
        do { state = try source.state(baseID: id, at: now()) } catch {
            return html(
                .serviceUnavailable,
                pages.problem(title: pages.text.unavailableTitle, body: pages.text.unavailableBody),
                retryAfter: 60)
        }
        guard let state else {
            return html(.notFound, pages.problem(title: pages.text.unknownTitle, body: pages.text.unknownBody))
        }
        if state.state == .moved, let target = state.movedTo {
            // Permanent: browsers and bookmarks learn the new address.
            var response = html(.movedPermanently, page(state))
            response.headers[.location] = target
            return response
        }
        return html(state.state.isClosed ? .serviceUnavailable : .ok, page(state), retryAfter: state.retryAfter)
    }

    func status(_ request: Request) async throws -> Response {
        guard let text = request.uri.queryParameters.get("id"), let id = Self.establishmentID(text) else {
            return json(.badRequest, ["error": "give the establishment's id as ?id=N, a positive whole number"])
        }
        do {
            guard let state = try source.state(baseID: id, at: now()) else {
                return json(
                    .notFound, UnknownEstablishment(error: "no establishment has id \(id) on this hosting", id: id))
            }
            var headers = Self.commonHeaders
            headers[.contentType] = "application/json; charset=utf-8"
            let body = encoded.body(of: state) { ByteBuffer(bytes: Self.encode($0)) }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
        } catch {
            return json(.serviceUnavailable, ["error": "the registry cannot be read at the moment"], retryAfter: 60)
        }
    }

    func health() async throws -> Response {
        do {
            let count = try await read { try source.establishmentCount() }
            return json(
                .ok,
                PortalHealth(
                    status: "ok", establishments: count,
                    checkedAt: time.iso(now())))
        } catch {
            // The reason stays in the server's log: it may name the database account.
            return json(
                .serviceUnavailable,
                PortalHealth(
                    status: "unavailable", establishments: nil,
                    checkedAt: time.iso(now())), retryAfter: 60)
        }
    }

    // MARK: - Helpers

    /// `12` → 12; anything else (signs, spaces, letters, zero, overflow) is not an id.
    static func establishmentID(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let id = Int64(text), id > 0 else {
            return nil
        }
        return id
    }

    /// Runs a registry read off the event loops (the registry's calls block).
    private func read<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            reads.async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// The establishment's page for `state`, rendered once per distinct content.
    private func page(_ state: AccessState) -> ByteBuffer {
        rendered.page(of: state) { pages.establishment($0) }
    }

    private func html(_ status: HTTPResponse.Status, _ body: String, retryAfter: Int? = nil) -> Response {
        html(status, ByteBuffer(string: body), retryAfter: retryAfter)
    }

    private func html(_ status: HTTPResponse.Status, _ body: ByteBuffer, retryAfter: Int? = nil) -> Response {
        var headers = Self.commonHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentLanguage] = pages.text.language
        if status == .serviceUnavailable, let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }

    /// `value` as the portal writes JSON: keys sorted, slashes as they are.
    private static func encode(_ value: some Encodable) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    private func json(_ status: HTTPResponse.Status, _ value: some Encodable, retryAfter: Int? = nil) -> Response {
        let data = Self.encode(value)
        var headers = Self.commonHeaders
        headers[.contentType] = "application/json; charset=utf-8"
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// No cache, no sniffing, no external asset, no framing (``PortalHeaders``; the connection adds them to
    /// answers no route wrote).
    private static let commonHeaders: HTTPFields = PortalHeaders.fields
}
