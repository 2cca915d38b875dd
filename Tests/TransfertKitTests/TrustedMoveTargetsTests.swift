import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// ``TrustedTargets`` in a plain directory, no hosting: a target's first key needs the operator's word, the
/// key is then remembered, and a later receipt with another key is refused.
@Suite("Move targets trusted by their receipt key")
struct TrustedMoveTargetsTests {
    let directory: TemporaryDirectory
    let trusted: TrustedTargets
    static let target = ImportReceipt.Server(
        serverName: "serveur-b", baseURL: "https://b.example.org/", fingerprint: "fb",
        publicKey: "KEY-B")

    init() throws {
        directory = try TemporaryDirectory()
        trusted = TrustedTargets(hostingDirectory: directory.url)
    }

    @Test func aFirstReceiptNeedsTheKeyThenTheKeyIsRemembered() throws {
        #expect(throws: MoveError.untrustedTarget(server: "serveur-b", fingerprint: "fb", key: "KEY-B")) {
            try trusted.check(Self.target, expectedKey: nil)
        }
        #expect(throws: MoveError.unexpectedKey(expected: "OTHER", found: "KEY-B")) {
            try trusted.check(Self.target, expectedKey: "OTHER")
        }
        try trusted.check(Self.target, expectedKey: "KEY-B")
        #expect(try trusted.targets().isEmpty, "checking remembers nothing: only a confirmation that succeeded does")
        try trusted.remember(Self.target, at: Date(timeIntervalSince1970: 1_796_000_000))
        try trusted.check(Self.target, expectedKey: nil)
        let stored = try #require(try trusted.targets().first)
        #expect(
            stored.serverName == "serveur-b" && stored.publicKey == "KEY-B"
                && stored.trustedAt == "2026-11-30T00:53:20Z")
        #expect(trusted.url == directory.url.appendingPathComponent("keys/trusted-targets.json"))
        let mode = try FileManager.default.attributesOfItem(atPath: trusted.url.path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "owner-only")
    }

    @Test func aRememberedTargetWithAnotherKeyIsRefused() throws {
        try trusted.remember(Self.target, at: Date())
        var impostor = Self.target
        impostor.publicKey = "KEY-X"
        #expect(throws: MoveError.unexpectedKey(expected: "KEY-B", found: "KEY-X")) {
            try trusted.check(impostor, expectedKey: nil)
        }
        // Given by the operator, the new key replaces the old one once remembered: one entry per target.
        try trusted.check(impostor, expectedKey: "KEY-X")
        try trusted.remember(impostor, at: Date())
        #expect(try trusted.targets().map(\.publicKey) == ["KEY-X"])
    }

    @Test func anUnreadableFileIsRefusedWithItsPath() throws {
        try FileManager.default.createDirectory(
            at: trusted.url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("not json".utf8).write(to: trusted.url)
        #expect(throws: MoveError.unreadableKey(trusted.url.path)) { try trusted.check(Self.target, expectedKey: nil) }
    }
}
