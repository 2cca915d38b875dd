import Crypto
import Foundation
import Synchronization
import ZIPFoundation

/// A bundle ZIP opened for reading, treated as hostile until proven otherwise.
///
/// Entry names are checked before anything is read (no absolute path, no `..`, no symbolic link, sane
/// sizes and compression ratios), and every read is checked while it inflates: the CRC-32 against the
/// ZIP's directory, the size against the declared size (a zip bomb stops at the first extra byte), and
/// the SHA-256 against the manifest.
public final class BundleArchive {
    public let url: URL
    /// Open readers of the ZIP not in use. A reader moves a file position as it reads, so two threads
    /// (an import restores two establishments at once) each take their own; the first one is the reader
    /// that listed the entries.
    private let readers: Mutex<[UncheckedSendable<Archive>]>
    /// Entries by path, in the order the ZIP lists them.
    public let entries: [String: Entry]
    public let entryOrder: [String]
    /// Names given to more than one entry, or equal once their Unicode form is set aside (`é` composed or
    /// not): which one would be read, or which would overwrite the other on disk, is ambiguous. Names that
    /// differ by case only are two files on the servers Transfert runs on (an upload may have both); an
    /// entry a manifest does not list is refused anyway.
    public let ambiguousNames: [[String]]

    /// No single entry may inflate beyond this.
    public static let maximumEntryBytes: UInt64 = 16 * 1024 * 1024 * 1024
    /// Past 10 MiB, an entry may not inflate more than this many times its compressed size.
    public static let maximumRatio: UInt64 = 200
    public static let maximumManifestBytes: UInt64 = 256 * 1024 * 1024
    static let readBufferSize = 64 * 1024

    public init(url: URL) throws(BundleReadError) {
        self.url = url
        guard FileManager.default.fileExists(atPath: url.path) else { throw .missing(url.path) }
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw .notAZip(url.path)
        }
        readers = Mutex([UncheckedSendable(archive)])
        var entries: [String: Entry] = [:]
        var order: [String] = []
        // Swift compares strings by canonical equivalence, so an NFD twin of a name lands on the same key;
        // the raw names are kept apart here to tell.
        var folded: [String: [String]] = [:]
        var foldedOrder: [String] = []
        for entry in archive {
            if entries[entry.path] == nil { order.append(entry.path) }
            entries[entry.path] = entry
            let key = entry.path.precomposedStringWithCanonicalMapping
            if folded[key] == nil { foldedOrder.append(key) }
            folded[key, default: []].append(String(decoding: Array(entry.path.utf8), as: UTF8.self))
        }
        self.entries = entries
        entryOrder = order
        ambiguousNames = foldedOrder.compactMap { folded[$0]!.count > 1 ? folded[$0] : nil }
    }

    /// Problems with entry names, types and sizes, found without inflating anything.
    public func safetyProblems() -> [String] {
        var problems: [String] = []
        for names in ambiguousNames {
            let listed = names.map { "'\($0)'" }.joined(separator: ", ")
            problems.append(Set(names.map { Array($0.utf8) }).count == 1
                ? "entry \(listed.split(separator: ",")[0]) appears \(names.count) times in the ZIP: which one would be read is ambiguous, so the archive is refused"
                : "entries \(listed) are the same name in two Unicode forms (one would overwrite the other on many systems): the archive is refused")
        }
        for path in entryOrder {
            guard let entry = entries[path] else { continue }
            if let reason = Self.unsafePathReason(path) {
                problems.append("entry '\(path)' \(reason): the archive is refused as unsafe")
            }
            if entry.type == .symlink {
                problems.append("entry '\(path)' is a symbolic link: bundles never hold links")
            }
            if entry.uncompressedSize > Self.maximumEntryBytes {
                problems.append("entry '\(path)' declares \(entry.uncompressedSize) bytes, beyond the \(Self.maximumEntryBytes / 1024 / 1024 / 1024) GiB limit")
            } else if entry.uncompressedSize > 10 * 1024 * 1024,
                      entry.uncompressedSize / max(entry.compressedSize, 1) > Self.maximumRatio {
                problems.append("entry '\(path)' inflates \(entry.uncompressedSize / max(entry.compressedSize, 1)) times (limit \(Self.maximumRatio)): a possible zip bomb")
            }
        }
        return problems
    }

    /// Why a path could escape the extraction directory, or `nil` when it is safe.
    public static func unsafePathReason(_ path: String) -> String? {
        if path.hasPrefix("/") || path.hasPrefix("\\") || (path.count > 1 && Array(path)[1] == ":") { return "is an absolute path" }
        if path.contains("\\") { return "contains a backslash" }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 }) { return "contains a control character" }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        if components.contains("..") { return "climbs out of its directory with '..'" }
        if components.dropLast().contains("") || components.contains(".") { return "has an empty or '.' path component" }
        return nil
    }

    /// Reads and decodes `manifest.json`, refusing newer format versions.
    public func manifest() throws(BundleReadError) -> BundleManifest {
        guard let entry = entries[BundleFormat.manifestPath] else { throw .noManifest(url.path) }
        guard entry.uncompressedSize <= Self.maximumManifestBytes else { throw .invalidManifest(url.path, reason: "it is too large") }
        var data = Data()
        data.reserveCapacity(Int(entry.uncompressedSize))
        do {
            _ = try stream(BundleFormat.manifestPath) { data.append($0) }
        } catch {
            throw .invalidManifest(url.path, reason: String(describing: error))
        }
        // Check the version before the whole structure, so a newer bundle gets the right message. It is
        // read from the manifest without its establishments when they can be set apart: decoding the
        // whole of a large manifest just for two keys would cost what ``ManifestDecoder`` saves.
        struct Version: Decodable {
            var format: String?
            var format_version: Int?
        }
        let split = try? ManifestDecoder.split(data)
        guard let version = try? JSONDecoder().decode(Version.self, from: split?.frame ?? data), version.format == BundleFormat.identifier,
              let number = version.format_version else {
            throw .invalidManifest(url.path, reason: "it is not a Transfert bundle manifest")
        }
        guard number <= BundleFormat.version else { throw .newerFormat(url.path, found: number) }
        do {
            return try ManifestDecoder.decode(data, split: split)
        } catch let error as DecodingError {
            throw .invalidManifest(url.path, reason: ConfigurationError.describe(error))
        } catch {
            throw .invalidManifest(url.path, reason: String(describing: error))
        }
    }

    /// A reader no other thread is using: a spare one, or a new one. Entries are checked against the
    /// manifest's SHA-256 as they are read, so a file replaced between two opens is caught like damage.
    private func takeReader() throws -> UncheckedSendable<Archive> {
        if let spare = readers.withLock({ $0.popLast() }) { return spare }
        do {
            return UncheckedSendable(try Archive(url: url, accessMode: .read))
        } catch {
            throw BundleReadError.notAZip(url.path)
        }
    }

    /// Inflates one entry, handing its bytes to `body` as they come, and checks its CRC-32 and
    /// declared size. Returns the size and SHA-256 of what was read.
    @discardableResult
    public func stream(_ path: String, _ body: (Data) throws -> Void) throws -> (size: Int64, sha256: String) {
        guard let entry = entries[path] else { throw BundleReadError.missingEntry(path) }
        guard entry.type == .file else { throw BundleReadError.damagedEntry(path, reason: "it is not a regular file") }
        var hasher = SHA256()
        var size: UInt64 = 0
        let declared = entry.uncompressedSize
        let crc: CRC32
        // What `body` throws goes on as it is; anything else the inflater throws means damage.
        var bodyError: (any Error)?
        let reader = try takeReader()
        defer { readers.withLock { $0.append(reader) } }
        do {
            crc = try reader.value.extract(entry, bufferSize: Self.readBufferSize, skipCRC32: false) { data in
                size += UInt64(data.count)
                if size > declared { throw BundleReadError.damagedEntry(path, reason: "it inflates beyond its declared \(declared) bytes (a zip bomb or a damaged archive)") }
                hasher.update(data: data)
                do { try body(data) } catch {
                    bodyError = error
                    throw error
                }
            }
        } catch {
            if let bodyError { throw bodyError }
            if let error = error as? BundleReadError { throw error }
            throw BundleReadError.damagedEntry(path, reason: "it cannot be inflated (\(error)); the ZIP is damaged or truncated")
        }
        guard size == declared else { throw BundleReadError.damagedEntry(path, reason: "it holds \(size) bytes where the ZIP declares \(declared)") }
        guard crc == entry.checksum else { throw BundleReadError.damagedEntry(path, reason: "its CRC-32 does not match: the data is damaged") }
        return (Int64(size), hasher.finalize().hexString)
    }
}

public enum BundleReadError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing(String)
    case notAZip(String)
    case noManifest(String)
    case invalidManifest(String, reason: String)
    case newerFormat(String, found: Int)
    case missingEntry(String)
    case damagedEntry(String, reason: String)
    case unsafe(String, problems: [String])
    case unreadable(String, problems: [String])

    public var description: String {
        switch self {
        case .missing(let path): return "\(path) does not exist"
        case .notAZip(let path): return "\(path) is not a readable ZIP (truncated or damaged): copy it again from the source server"
        case .noManifest(let path): return "\(path) has no manifest.json: it is not a Transfert bundle"
        case .invalidManifest(let path, let reason): return "\(path): manifest.json is invalid (\(reason))"
        case .newerFormat(let path, let found):
            return "\(path) uses archive format \(found), newer than the format \(BundleFormat.version) this Transfert (\(TransfertKitVersion.current)) reads: upgrade Transfert on this server"
        case .missingEntry(let path): return "entry \(path) is missing from the ZIP"
        case .damagedEntry(let path, let reason): return "entry \(path) is damaged: \(reason)"
        case .unreadable(let path, let problems):
            return "\(path) cannot be read:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        case .unsafe(let path, let problems):
            return "\(path) is refused as unsafe:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        }
    }
}
