import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertPortal
@testable import TransfertStorage

/// The portal's HTTP answers on states given in memory, through Hummingbird's router test framework.
///
/// Why not the live framework: its client gives up after 20 s, and in `swift test` the end-to-end suites
/// (synchronous tests waiting on subprocesses) can hold both threads of a 2-core machine's cooperative pool
/// longer than that, so a live request timed out while nothing was wrong. Real HTTP over loopback is
/// tested end to end against the `transfert serve` binary (`TransfertEndToEndTests/PortalTests.swift`).
@Suite("Portal over HTTP")
struct PortalTests {
    static let hostile = "<script>alert(1)</script> \"Lycée\" & 'Cité'"

    static func state(
        _ kind: AccessState.Kind, id: Int64 = 7, name: String = "Collège Émile Zola", message: String? = nil,
        note: String? = nil, retryAfter: Int? = nil
    ) -> AccessState {
        AccessState(
            id: id, state: kind, establishment: .init(name: name, place: "L'Haÿ-les-Roses", uai: "0750001U"),
            message: message, note: note, lock: nil, window: nil, until: nil, retryAfter: retryAfter, disconnect: nil,
            locks: [], checkedAt: "2026-11-25T09:00:00+01:00")
    }

    static let states = [
        state(.open, id: 1),
        state(
            .warning, id: 2,
            message:
                "Une phase de maintenance de la base de données aura lieu entre le 01/12/2026 à 13:00 et le 01/12/2026 à 13:45."
        ),
        state(
            .maintenance, id: 3, message: "Une phase de maintenance de la base de données est actuellement en cours.",
            note: "Transfert", retryAfter: 1_200),
        state(.locked, id: 4, message: "L'accès à SACoche est momentanément fermé : \(hostile)"),
        state(.warning, id: 5, name: hostile, message: hostile, note: hostile),
    ]

    func serve(
        _ source: any AccessStateSource = InMemoryStateSource(states: states), language: String = "fr",
        _ test: @Sendable @escaping (any TestClientProtocol) async throws -> Void
    ) async throws {
        let portal = Portal(
            source: source, language: language, application: "SACoche", logger: Logger(label: "test.portal"))
        try await portal.application(host: "127.0.0.1", port: 0) { _ in }.test(.router, test)
    }

    /// The server logs through the logger its runner gives (the command line: warnings and up), not one it
    /// builds itself.
    @Test func theServerLogsThroughTheLoggerPassedIn() {
        var logger = Logger(label: "test.portal.given")
        logger.logLevel = .debug
        let portal = Portal(
            source: InMemoryStateSource(states: Self.states), language: "fr", application: "SACoche", logger: logger)
        let application = portal.application(host: "127.0.0.1", port: 0) { _ in }
        #expect(application.logger.label == "test.portal.given" && application.logger.logLevel == .debug)
    }

    @Test func anOpenEstablishmentsEntryPage() async throws {
        try await serve { client in
            try await client.execute(uri: "/?id=1", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.headers[.contentLanguage] == "fr")
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(response.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'") == true)
                #expect(response.headers[.retryAfter] == nil)
                let body = String(buffer: response.body)
                #expect(body.contains("<html lang=\"fr\">"))
                #expect(body.contains("<h1>Collège Émile Zola</h1>"))
                #expect(
                    body.contains("L&#39;Haÿ-les-Roses") || body.contains("L&apos;Haÿ-les-Roses")
                        || body.contains("L'Haÿ-les-Roses"))
                #expect(
                    body.contains("L'accès à l'établissement est ouvert")
                        || body.contains("L&#39;accès à l&#39;établissement est ouvert"))
                #expect(!body.contains("class=\"banner\"") && !body.contains("class=\"closed\""))
                #expect(!body.contains("http://") && !body.contains("https://"), "no external asset")
            }
        }
    }

    @Test func aPlannedWindowShowsItsWarningBanner() async throws {
        try await serve { client in
            try await client.execute(uri: "/?id=2", method: .get) { response in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                #expect(body.contains("class=\"banner\" role=\"status\""))
                #expect(body.contains("Maintenance planifiée"))
                #expect(body.contains("aura lieu entre le 01/12/2026 à 13:00"))
            }
        }
    }

    @Test func maintenanceAnswers503WithRetryAfterAndLocksWithout() async throws {
        try await serve { client in
            try await client.execute(uri: "/?id=3", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1200")
                let body = String(buffer: response.body)
                #expect(body.contains("<title>Maintenance en cours · SACoche</title>"))
                #expect(body.contains("role=\"alert\""))
                #expect(body.contains("actuellement en cours"))
                #expect(body.contains("<p class=\"note\">Transfert</p>"))
            }
            try await client.execute(uri: "/?id=4", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == nil, "a lock has no known end")
                #expect(String(buffer: response.body).contains("Accès momentanément fermé"))
            }
        }
    }

    @Test func everythingShownIsEscaped() async throws {
        try await serve { client in
            for uri in ["/?id=4", "/?id=5"] {
                try await client.execute(uri: uri, method: .get) { response in
                    let body = String(buffer: response.body)
                    #expect(!body.contains("<script>"), "\(uri) shows a name or reason as markup")
                    #expect(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                    #expect(body.contains("&quot;Lycée&quot; &amp;"))
                }
            }
        }
    }

    @Test func unknownBadAndMissingIDs() async throws {
        try await serve { client in
            try await client.execute(uri: "/?id=99", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("Établissement inconnu"))
            }
            for bad in ["abc", "-1", "0", "1.5", "%3Cscript%3E", "99999999999999999999", ""] {
                try await client.execute(uri: "/?id=\(bad)", method: .get) { response in
                    #expect(response.status == .badRequest, "id=\(bad)")
                    #expect(!String(buffer: response.body).contains("<script>"))
                }
            }
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                #expect(body.contains("<form method=\"get\""))
                #expect(
                    body.contains("<label for=\"id\">Numéro de l&#39;établissement</label>")
                        || body.contains("<label for=\"id\">Numéro de l'établissement</label>"))
            }
        }
    }

    @Test func statusIsTheSameStateAsJSON() async throws {
        try await serve { client in
            try await client.execute(uri: "/status?id=3", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                let decoded = try JSONDecoder().decode(AccessState.self, from: Data(buffer: response.body))
                #expect(decoded == Self.states[2])
                let object = try #require(
                    try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(object["state"] as? String == "maintenance")
                #expect(object["retry_after"] as? Int == 1_200)
            }
            try await client.execute(uri: "/status?id=99", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(String(buffer: response.body).contains("no establishment has id 99"))
            }
            try await client.execute(uri: "/status?id=x", method: .get) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/status", method: .get) { response in #expect(response.status == .badRequest)
            }
        }
    }

    @Test func healthSaysWhetherTheRegistryAnswersWithoutSayingWhy() async throws {
        try await serve { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let object = try #require(
                    try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(object["status"] as? String == "ok" && object["establishments"] as? Int == 5)
            }
        }
        let secret = RegistryError.notInitialised("mysql://operator:s3cret@db/registry")
        try await serve(InMemoryStateSource(states: [], failure: secret)) { client in
            for uri in ["/health", "/status?id=1", "/?id=1"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .serviceUnavailable, "\(uri)")
                    #expect(response.headers[.retryAfter] == "60")
                    #expect(!String(buffer: response.body).contains("s3cret"), "\(uri) leaks the error")
                }
            }
        }
    }

    @Test func headIsGetWithoutBodyAndOtherMethodsAreNotAllowed() async throws {
        try await serve { client in
            try await client.execute(uri: "/?id=3", method: .head) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] == "1200")
                #expect(Int(response.headers[.contentLength] ?? "") ?? 0 > 500, "the length of the page GET returns")
                #expect(response.body.readableBytes == 0)
            }
            for path in ["/?id=1", "/status?id=1", "/health"] {
                try await client.execute(uri: path, method: .post) { response in
                    #expect(response.status == .methodNotAllowed, "\(path)")
                    #expect(response.headers[.allow] == "GET, HEAD")
                }
            }
        }
    }

    @Test func absentValuesAreNullsNotMissingKeys() async throws {
        try await serve { client in
            try await client.execute(uri: "/status?id=1", method: .get) { response in
                let object = try #require(
                    try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                for key in ["message", "note", "lock", "window", "until", "retry_after", "disconnect"] {
                    #expect(object[key] is NSNull, "\(key) is present and null")
                }
            }
            try await client.execute(uri: "/status?id=99", method: .get) { response in
                let object = try #require(
                    try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
                #expect(object["id"] as? Int == 99)
            }
        }
    }

    @Test func englishPages() async throws {
        try await serve(language: "en") { client in
            try await client.execute(uri: "/?id=99", method: .get) { response in
                #expect(response.headers[.contentLanguage] == "en")
                #expect(String(buffer: response.body).contains("Unknown establishment"))
            }
        }
    }

    @Test(arguments: [
        ("12", Int64(12)), ("1", 1), ("0", nil), ("-3", nil), ("+3", nil), (" 3", nil), ("3a", nil), ("", nil),
        ("٣", nil), ("9223372036854775808", nil),
    ])
    func establishmentIDs(text: String, id: Int64?) {
        #expect(Portal.establishmentID(text) == id)
    }
}

extension String {
    fileprivate init(buffer: ByteBuffer?) {
        self = buffer.map { String(buffer: $0) } ?? ""
    }
}

extension Data {
    fileprivate init(buffer: ByteBuffer?) {
        self = buffer.map { Data($0.readableBytesView) } ?? Data()
    }
}
