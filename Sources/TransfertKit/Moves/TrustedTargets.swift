import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The receipt keys this hosting trusts, by target server (fingerprint), in `keys/trusted-targets.json`
/// (owner-only). A target's first receipt needs the operator's word — `confirm --expect-key KEY`, the key
/// `transfert info` shows on the target — and the key is then remembered: later receipts of that target
/// are accepted if and only if they carry the same key. Without this, anyone holding a copy of the
/// bundle could import it on a server of their own and produce a validly signed receipt.
struct TrustedTargets {
    static let fileName = "keys/trusted-targets.json"
    let url: URL

    struct Target: Codable, Equatable {
        var fingerprint: String
        var serverName: String
        var publicKey: String
        var trustedAt: String

        enum CodingKeys: String, CodingKey {
            case fingerprint
            case serverName = "server_name"
            case publicKey = "public_key"
            case trustedAt = "trusted_at"
        }
    }

    /// The keys trusted by the hosting in `hostingDirectory` (its `keys/trusted-targets.json`).
    init(hostingDirectory: URL) {
        url = hostingDirectory.appendingPathComponent(Self.fileName)
    }

    func targets() throws -> [Target] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        do { return try JSONDecoder().decode([Target].self, from: Data(contentsOf: url)) } catch {
            throw MoveError.unreadableKey(url.path)
        }
    }

    /// Whether `target`'s key may be trusted now; throws the reason when not.
    func check(_ target: ImportReceipt.Server, expectedKey: String?) throws {
        if let expectedKey {
            guard expectedKey == target.publicKey else {
                throw MoveError.unexpectedKey(expected: expectedKey, found: target.publicKey)
            }
            return
        }
        guard let known = try targets().first(where: { $0.fingerprint == target.fingerprint }) else {
            throw MoveError.untrustedTarget(
                server: target.serverName, fingerprint: target.fingerprint, key: target.publicKey)
        }
        guard known.publicKey == target.publicKey else {
            throw MoveError.unexpectedKey(expected: known.publicKey, found: target.publicKey)
        }
    }

    /// Remembers `target`'s key (after a confirmation succeeded with it).
    func remember(_ target: ImportReceipt.Server, at now: Date) throws {
        var all = try targets().filter { $0.fingerprint != target.fingerprint }
        all.append(
            Target(
                fingerprint: target.fingerprint, serverName: target.serverName, publicKey: target.publicKey,
                trustedAt: ISO8601DateFormatter().string(from: now)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        try AtomicFile.write(try encoder.encode(all), to: url)
    }
}
