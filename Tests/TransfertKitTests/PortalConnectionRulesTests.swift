import Foundation
import Logging
import NIOHTTP1
import Testing
import Yams

@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertPortal

/// The pieces of the portal's connection handling that need no socket: RFC 9112's `Host` rule, the cap's
/// counting and its log line, the `portal:` keys. Their behaviour on the wire is tested end to end
/// (`PortalConnectionTests`, `PortalSlowClientTests`).
@Suite("Portal connection rules")
struct PortalConnectionRulesTests {
    static func head(_ version: HTTPVersion, hosts: [String]) -> HTTPRequestHead {
        HTTPRequestHead(
            version: version, method: .GET, uri: "/health", headers: HTTPHeaders(hosts.map { ("Host", $0) }))
    }

    @Test func hostRule() {
        #expect(HostHeaderRule.problem(in: Self.head(.http1_1, hosts: ["portal"])) == nil)
        #expect(HostHeaderRule.problem(in: Self.head(.http1_1, hosts: ["portal:8080"])) == nil)
        #expect(HostHeaderRule.problem(in: Self.head(.http1_1, hosts: ["[::1]:8080"])) == nil)
        #expect(HostHeaderRule.problem(in: Self.head(.http1_1, hosts: [""])) == nil, "RFC 9112 allows an empty Host")
        #expect(HostHeaderRule.problem(in: Self.head(.http1_0, hosts: [])) == nil, "HTTP/1.0 needs none")
        #expect(HostHeaderRule.problem(in: Self.head(.http1_1, hosts: [])) != nil)
        #expect(HostHeaderRule.problem(in: Self.head(.http1_1, hosts: ["a", "b"])) != nil)
        #expect(HostHeaderRule.problem(in: Self.head(.http1_0, hosts: ["a", "a"])) != nil, "two, even equal")
        for bad in ["a/b", "user@host", "a b", "é.example", "a\\b", "host?x"] {
            #expect(HostHeaderRule.problem(in: Self.head(.http1_1, hosts: [bad])) != nil, "\(bad)")
        }
    }

    /// A log handler that keeps its lines.
    final class Lines: LogHandler, @unchecked Sendable {
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        var lines: [String] = []
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(
            level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
            function: String, line: UInt
        ) { lines.append("\(message)") }
    }

    @Test func capCountsInAndOutAndLogsOnceForAFlood() {
        let lines = Lines()
        let cap = ConnectionCap(limit: 3, logger: Logger(label: "test") { _ in lines })
        #expect((0..<3).allSatisfy { _ in cap.admit() })
        #expect((0..<1_000).allSatisfy { _ in !cap.admit() }, "past the cap every new one is refused")
        #expect(lines.lines.count == 1, "one line for a thousand refusals: \(lines.lines)")
        #expect(lines.lines.first?.contains("3 connections open") == true)
        cap.release()
        #expect(cap.admit(), "one left: one more is let in")
        #expect(!cap.admit())
    }

    @Test func portalKeysDecodeAndAreChecked() throws {
        let yaml = "read_timeout: 5\nwrite_timeout: 6\nidle_timeout: 7\nmax_connections: 20\n"
        let settings = try YAMLDecoder().decode(PortalSettings.self, from: yaml)
        #expect(settings == PortalSettings(readTimeout: 5, writeTimeout: 6, idleTimeout: 7, maxConnections: 20))
        try settings.validate(file: "transfert.yaml")
        #expect(
            try YAMLDecoder().decode(
                PortalSettings.self,
                from: settings.renderYAML().replacingOccurrences(
                    of: "portal:\n", with: ""
                ).replacingOccurrences(of: "  ", with: "")) == settings)
        for bad in [
            PortalSettings(readTimeout: 0), PortalSettings(writeTimeout: 3_601), PortalSettings(idleTimeout: -1),
            PortalSettings(maxConnections: 0),
        ] {
            #expect(throws: ConfigurationError.self) { try bad.validate(file: "transfert.yaml") }
        }
    }

    @Test func defaultCapFitsTheOpenFileLimit() {
        let cap = OpenFileLimit.defaultConnectionCap
        #expect(cap >= 1 && cap <= PortalLimits.defaultMaxConnections)
        if let limit = OpenFileLimit.current { #expect(cap < limit, "room left for the registry and logs") }
    }
}
