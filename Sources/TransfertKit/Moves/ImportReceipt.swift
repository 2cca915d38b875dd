import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What the target server signs after an import (`<zip name>.receipt.json`): who it is, which bundle it
/// imported, and, per establishment, its GUID, its old and new ids, its new address and the table digests
/// the import verified. The source checks it with `transfert confirm` before it treats the establishments
/// as moved.
///
/// The signature is Ed25519 over ``signedBytes`` (every field but the signature, as sorted, compact JSON);
/// the public key travels in the receipt and is shown by `transfert info` on the target, so an operator
/// can compare it. Editing any field by hand breaks the signature.
public struct ImportReceipt: Codable, Equatable, Sendable {
    public static let formatIdentifier = "transfert-receipt"
    public static let currentVersion = 1
    /// A receipt is a small JSON file; anything larger is not one.
    public static let maximumSize = 16 * 1024 * 1024

    public var format: String = formatIdentifier
    public var version: Int = currentVersion
    public var target: Server
    public var source: Source
    public var bundle: Bundle
    /// ISO 8601, UTC.
    public var importedAt: String
    public var establishments: [Establishment]
    /// Base64 Ed25519 signature of ``signedBytes``, by `target.publicKey`.
    public var signature: String?

    public struct Server: Codable, Equatable, Sendable {
        public var serverName: String
        public var baseURL: String
        public var fingerprint: String
        /// Base64 of the raw 32-byte Ed25519 public key.
        public var publicKey: String

        enum CodingKeys: String, CodingKey {
            case serverName = "server_name"
            case baseURL = "base_url"
            case fingerprint
            case publicKey = "public_key"
        }
    }

    public struct Source: Codable, Equatable, Sendable {
        public var serverName: String
        public var fingerprint: String

        enum CodingKeys: String, CodingKey {
            case serverName = "server_name"
            case fingerprint
        }
    }

    public struct Bundle: Codable, Equatable, Sendable {
        /// `bases_dump_…`, without extension.
        public var name: String
        public var zipSHA256: String

        enum CodingKeys: String, CodingKey {
            case name
            case zipSHA256 = "zip_sha256"
        }
    }

    public struct Establishment: Codable, Equatable, Sendable {
        public var guid: String
        public var oldID: Int64
        public var newID: Int64
        public var accessURL: String
        public var denomination: String
        public var uai: String?
        /// What the import restored and checked, table by table.
        public var tables: [TableDigest]

        enum CodingKeys: String, CodingKey {
            case guid
            case oldID = "old_id"
            case newID = "new_id"
            case accessURL = "access_url"
            case denomination, uai, tables
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, version, target, source, bundle
        case importedAt = "imported_at"
        case establishments, signature
    }

    public init(target: Server, source: Source, bundle: Bundle, importedAt: String, establishments: [Establishment]) {
        self.target = target
        self.source = source
        self.bundle = bundle
        self.importedAt = importedAt
        self.establishments = establishments
    }

    /// The bytes the signature covers: the receipt without its signature, as compact JSON with sorted keys.
    public var signedBytes: Data {
        var unsigned = self
        unsigned.signature = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(unsigned)) ?? Data()
    }

    /// The file as written: indented, sorted keys, accents as they are.
    public func fileData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Reads a receipt file, refusing what is not one with the reason.
    public static func read(contentsOf url: URL) throws -> (receipt: ImportReceipt, sha256: String) {
        // A regular file, read once and never past the limit: not a link to /dev/zero, not a pipe.
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        guard let attributes else { throw MoveError.unreadableReceipt(url.path, "no such file") }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw MoveError.unreadableReceipt(url.path, "not a regular file (a link, a device or a pipe)")
        }
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            data = try handle.read(upToCount: maximumSize + 1) ?? Data()
        } catch {
            throw MoveError.unreadableReceipt(url.path, "cannot be read (\(error.localizedDescription))")
        }
        guard data.count <= maximumSize else {
            throw MoveError.unreadableReceipt(
                url.path, "larger than \(maximumSize) bytes: a receipt is a small JSON file")
        }
        let receipt: ImportReceipt
        do { receipt = try JSONDecoder().decode(ImportReceipt.self, from: data) } catch let error as DecodingError {
            throw MoveError.unreadableReceipt(url.path, "not a receipt: \(ConfigurationError.describe(error))")
        } catch {
            throw MoveError.unreadableReceipt(url.path, "not JSON")
        }
        guard receipt.format == formatIdentifier else {
            throw MoveError.unreadableReceipt(url.path, "not a receipt (its format is not \(formatIdentifier))")
        }
        guard receipt.version <= currentVersion else {
            throw MoveError.unreadableReceipt(
                url.path,
                "version \(receipt.version) is newer than this Transfert reads (\(currentVersion)): update Transfert")
        }
        return (receipt, SHA256Hex.of(data))
    }
}
