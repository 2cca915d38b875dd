import Crypto
import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The Ed25519 key a hosting signs its import receipts with, kept owner-only in
/// `<hosting>/keys/receipt-signing.key` (the raw 32-byte private key, base64). Made on first use: a
/// hosting created before receipts existed gets one at its first import or `transfert info`.
///
/// ```swift
/// let key = try ReceiptKey.load(in: hosting.directory)
/// key.publicKeyBase64          // what `transfert info` shows and receipts carry
/// let signed = try key.sign(receipt)
/// try ReceiptKey.verify(signed) // throws MoveError.badSignature when edited
/// ```
public struct ReceiptKey {
    private let key: Curve25519.Signing.PrivateKey

    public static let fileName = "keys/receipt-signing.key"

    /// The key of the hosting in `hostingDirectory` (its `keys/receipt-signing.key`), created (owner-only)
    /// when missing.
    public static func load(in hostingDirectory: URL) throws -> ReceiptKey {
        let url = hostingDirectory.appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: url.path) { return try read(url) }
        // Made once, exclusively: two first uses at once (an import and `info`) end with one key, never two.
        let key = Curve25519.Signing.PrivateKey()
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".receipt-signing-\(UUID().uuidString).key")
        try AtomicFile.write(Data((key.rawRepresentation.base64EncodedString() + "\n").utf8), to: temporary)
        defer { try? FileManager.default.removeItem(at: temporary) }
        if link(temporary.path, url.path) != 0 {
            guard errno == EEXIST else { throw MoveError.unreadableKey(url.path) }
            return try read(url)
        }
        return ReceiptKey(key: key)
    }

    /// The key in `url`; anything else (unreadable, not 32 bytes of base64) is refused, never replaced:
    /// a new key would make every receipt signed with the old one unverifiable.
    private static func read(_ url: URL) throws -> ReceiptKey {
        guard let text = try? String(contentsOf: url, encoding: .utf8),
            let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else {
            throw MoveError.unreadableKey(url.path)
        }
        return ReceiptKey(key: key)
    }

    /// The public key, base64 of its 32 raw bytes.
    public var publicKeyBase64: String { key.publicKey.rawRepresentation.base64EncodedString() }

    /// `receipt` with this key's public key and signature.
    public func sign(_ receipt: ImportReceipt) throws -> ImportReceipt {
        var signed = receipt
        signed.target.publicKey = publicKeyBase64
        signed.signature = nil
        signed.signature = try key.signature(for: signed.signedBytes).base64EncodedString()
        return signed
    }

    /// Checks the receipt's signature against the public key it carries.
    public static func verify(_ receipt: ImportReceipt) throws {
        guard let signature = receipt.signature.flatMap({ Data(base64Encoded: $0) }) else {
            throw MoveError.badSignature("it is not signed")
        }
        guard let raw = Data(base64Encoded: receipt.target.publicKey),
            let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
        else {
            throw MoveError.badSignature("its public key is not an Ed25519 key")
        }
        guard publicKey.isValidSignature(signature, for: receipt.signedBytes) else {
            throw MoveError.badSignature(
                "the signature does not match its content: the receipt was edited after the target signed it")
        }
    }
}
