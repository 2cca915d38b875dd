import Crypto
import Foundation
import TransfertModel

/// A bundle ZIP opened for reading, treated as hostile until proven otherwise.
///
/// The ZIP's structure is proved when it is opened (``ZIPCentralDirectory``: every record inside the
/// file, before the central directory, not overlapping another, its local header agreeing). Entry names
/// are checked before anything is read (no absolute path, no `..`, no symbolic link, no encryption, sane
/// sizes, per-entry and whole-archive ratios), and every read is checked while it inflates
/// (``ZIPEntryInflater``): the size against the declared size (a zip bomb stops at the first extra byte),
/// the ratio against the compressed bytes actually consumed, the CRC-32 against the ZIP's directory, and
/// the SHA-256 against the manifest.
public final class BundleArchive {
    public typealias Entry = ZIPEntry
    public let url: URL
    /// The file, read with `pread` by every thread at once (an import restores two establishments at once).
    private let file: ZIPFileReader
    /// Entries by path, in the order the ZIP lists them.
    public let entries: [String: Entry]
    public let entryOrder: [String]
    /// Names given to more than one entry, or equal once their Unicode form is set aside (`é` composed or
    /// not): which one would be read, or which would overwrite the other on disk, is ambiguous. Names that
    /// differ by case only are two files on the servers Transfert runs on (an upload may have both); an
    /// entry a manifest does not list is refused anyway.
    public let ambiguousNames: [[String]]
    /// The size of the ZIP file itself.
    public var fileSize: UInt64 { file.size }

    /// No single entry may inflate beyond this.
    public static let maximumEntryBytes: UInt64 = 16 * 1024 * 1024 * 1024
    /// Past ``ratioFloor``, an entry may not inflate more than this many times its compressed size —
    /// declared, and measured on the bytes the inflater consumes.
    public static let maximumRatio: UInt64 = 200
    /// Below this, an entry may inflate at any ratio (small files of zeros are real).
    public static let ratioFloor: UInt64 = 10 * 1024 * 1024
    /// The whole archive may not declare more than ``maximumRatio`` times its own size, plus this: many
    /// entries each under the per-entry ratio check would otherwise inflate to gigabytes together.
    public static let archiveAllowance: UInt64 = 256 * 1024 * 1024
    public static let maximumManifestBytes: UInt64 = 256 * 1024 * 1024
    static let readBufferSize = 64 * 1024

    /// The most a ZIP of `fileSize` bytes may declare in total: 200 × its size + 256 MiB.
    public static func maximumArchiveBytes(fileSize: UInt64) -> UInt64 {
        let (scaled, overflow) = fileSize.multipliedReportingOverflow(by: maximumRatio)
        let (total, overflow2) = scaled.addingReportingOverflow(archiveAllowance)
        return overflow || overflow2 ? .max : total
    }

    public init(url: URL) throws(BundleReadError) {
        self.url = url
        guard FileManager.default.fileExists(atPath: url.path) else { throw .missing(url.path) }
        let directory: ZIPCentralDirectory
        do {
            file = try ZIPFileReader(path: url.path)
            directory = try ZIPCentralDirectory(reading: file)
        } catch {
            throw .malformed(url.path, reason: error.reason)
        }
        var entries: [String: Entry] = [:]
        var order: [String] = []
        // Swift compares strings by canonical equivalence, so an NFD twin of a name lands on the same key;
        // the raw names are kept apart here to tell.
        var folded: [String: [String]] = [:]
        var foldedOrder: [String] = []
        for entry in directory.entries {
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

    /// What the entries declare they inflate to, all together (saturating: a sum past 2⁶⁴ is refused anyway).
    public var declaredTotalBytes: UInt64 {
        entries.values.reduce(UInt64(0)) { total, entry in
            let (sum, overflow) = total.addingReportingOverflow(entry.uncompressedSize)
            return overflow ? .max : sum
        }
    }

    /// Problems with entry names, types and sizes, found without inflating anything; each names its entry.
    public func safetyProblems() -> [Problem] {
        var problems: [Problem] = []
        func refuse(_ code: ProblemCode, _ entry: String?, _ message: String) {
            problems.append(Problem(code: code, message: message, location: ProblemLocation(file: entry)))
        }
        for names in ambiguousNames {
            let listed = names.map { "'\($0)'" }.joined(separator: ", ")
            refuse(
                .zipAmbiguousName, names.first,
                Set(names.map { Array($0.utf8) }).count == 1
                    ? "entry \(listed.split(separator: ",")[0]) appears \(names.count) times in the ZIP: which one would be read is ambiguous, so the archive is refused"
                    : "entries \(listed) are the same name in two Unicode forms (one would overwrite the other on many systems): the archive is refused"
            )
        }
        for path in entryOrder {
            guard let entry = entries[path] else { continue }
            if let reason = Self.unsafePathReason(path) {
                refuse(.zipUnsafeName, path, "entry '\(path)' \(reason): the archive is refused as unsafe")
            }
            if entry.type == .symlink {
                refuse(.zipSymlink, path, "entry '\(path)' is a symbolic link: bundles never hold links")
            }
            if entry.isEncrypted {
                refuse(
                    .zipEncrypted, path,
                    "entry '\(path)' is flagged as encrypted (general-purpose flags \(entry.flags)): bundles are never encrypted, so the archive is refused"
                )
            }
            if entry.method != ZIPEntry.stored && entry.method != ZIPEntry.deflate {
                refuse(
                    .zipUnsupportedMethod, path,
                    "entry '\(path)' is compressed with method \(entry.method): Transfert reads only stored (0) and deflated (8) entries"
                )
            }
            if entry.uncompressedSize > Self.maximumEntryBytes {
                refuse(
                    .zipEntryTooLarge, path,
                    "entry '\(path)' declares \(entry.uncompressedSize) bytes, beyond the \(Self.maximumEntryBytes / 1024 / 1024 / 1024) GiB limit"
                )
            } else if entry.uncompressedSize > Self.ratioFloor,
                entry.uncompressedSize / max(entry.compressedSize, 1) > Self.maximumRatio
            {
                refuse(
                    .zipBomb, path,
                    "entry '\(path)' inflates \(entry.uncompressedSize / max(entry.compressedSize, 1)) times (limit \(Self.maximumRatio)): a possible zip bomb"
                )
            }
        }
        let total = declaredTotalBytes
        let allowed = Self.maximumArchiveBytes(fileSize: fileSize)
        if total > allowed {
            refuse(
                .zipBomb, nil,
                "the entries declare \(total) bytes in all, more than the \(allowed) bytes a ZIP of \(fileSize) bytes may inflate to (\(Self.maximumRatio) times its size + \(Self.archiveAllowance / 1024 / 1024) MiB): a possible zip bomb"
            )
        }
        return problems
    }

    /// Why a path could escape the extraction directory, or `nil` when it is safe.
    public static func unsafePathReason(_ path: String) -> String? {
        if path.hasPrefix("/") || path.hasPrefix("\\") || (path.count > 1 && Array(path)[1] == ":") {
            return "is an absolute path"
        }
        if path.contains("\\") { return "contains a backslash" }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 }) { return "contains a control character" }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        if components.contains("..") { return "climbs out of its directory with '..'" }
        if components.dropLast().contains("") || components.contains(".") {
            return "has an empty or '.' path component"
        }
        return nil
    }

    /// Reads and decodes `manifest.json`, refusing newer format versions.
    public func manifest() throws(BundleReadError) -> BundleManifest {
        guard let entry = entries[BundleFormat.manifestPath] else { throw .noManifest(url.path) }
        guard entry.uncompressedSize <= Self.maximumManifestBytes else {
            throw .invalidManifest(url.path, reason: "it is too large")
        }
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
        guard let version = try? JSONDecoder().decode(Version.self, from: split?.frame ?? data),
            version.format == BundleFormat.identifier,
            let number = version.format_version
        else {
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

    /// Inflates one entry, handing its bytes to `body` as they come, and checks its CRC-32 and
    /// declared size. Returns the size and SHA-256 of what was read.
    @discardableResult
    public func stream(_ path: String, _ body: (Data) throws -> Void) throws -> (size: Int64, sha256: String) {
        guard let entry = entries[path] else { throw BundleReadError.missingEntry(path) }
        guard entry.type == .file else { throw BundleReadError.damagedEntry(path, reason: "it is not a regular file") }
        guard !entry.isEncrypted else {
            throw BundleReadError.damagedEntry(path, reason: "it is encrypted: bundles never are")
        }
        guard entry.uncompressedSize <= Self.maximumEntryBytes else {
            throw BundleReadError.damagedEntry(
                path,
                reason:
                    "it declares \(entry.uncompressedSize) bytes, beyond the \(Self.maximumEntryBytes / 1024 / 1024 / 1024) GiB limit"
            )
        }
        var hasher = SHA256()
        let inflater = ZIPEntryInflater(
            file: file, entry: entry, maximumRatio: Self.maximumRatio, ratioFloor: Self.ratioFloor)
        let result = try inflater.inflate { piece in
            hasher.update(bufferPointer: piece)
            try body(Data(piece))
        }
        guard result.size == entry.uncompressedSize else {
            throw BundleReadError.damagedEntry(
                path, reason: "it holds \(result.size) bytes where the ZIP declares \(entry.uncompressedSize)")
        }
        guard result.crc32 == entry.checksum else {
            throw BundleReadError.damagedEntry(path, reason: "its CRC-32 does not match: the data is damaged")
        }
        return (Int64(result.size), hasher.finalize().hexString)
    }
}
