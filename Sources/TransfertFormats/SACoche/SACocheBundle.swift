import Crypto
import Foundation
import TransfertModel

/// A bundle written by SACoche's own transfer module (or by `export --format sacoche`): a ZIP of
/// per-base ZIPs of MySQL dumps, and a CSV. It has no manifest and no checksum of its own.
///
/// Every ZIP is hostile until proven otherwise: the outer one is checked like any bundle
/// (``BundleArchive``); each inner one is copied out to a private temporary file only after its own
/// entry passed those checks, then opened and checked the same way (names, sizes, ratios, CRC-32).
public final class SACocheBundle {
    public let archive: BundleArchive
    /// The inner ZIPs, by name, in the outer ZIP's order.
    public let innerZips: [String]
    private let workDirectory: URL
    /// Asked before an inner ZIP is copied out (a seam for tests).
    public var diskSpace = DiskSpace.system

    /// Whether an opened ZIP has SACoche's shape: no `manifest.json`, and ZIPs inside — by name, or by
    /// content: a `;` written raw in a CSV value shifts the line's fields, and SACoche's export then names
    /// that base's ZIP after the field it reads as Nom_fichier (its `Date_Inscription`, `2016-12-08`, or
    /// further left with more `;`). A bundle of one such base holds no `.zip` name at all.
    public static func hasSACocheShape(_ archive: BundleArchive) -> Bool {
        guard archive.entries[BundleFormat.manifestPath] == nil else { return false }
        return archive.entryOrder.contains { $0.lowercased().hasSuffix(".zip") } || !zipsByContent(in: archive).isEmpty
    }

    /// Top-level entries not named `.zip` whose bytes start as a ZIP does (`PK\3\4`, or `PK\5\6` for an
    /// empty one). Only the first bytes of each are inflated, and only the first 64 such entries looked at.
    static func zipsByContent(in archive: BundleArchive) -> [String] {
        let candidates = archive.entryOrder.filter { name in
            !name.hasSuffix("/") && !name.contains("/") && !name.lowercased().hasSuffix(".zip")
                && name != BundleFormat.manifestPath
                && (archive.entries[name]?.uncompressedSize ?? 0) >= 22
        }
        return candidates.prefix(64).filter { startsLikeZip(archive, $0) }
    }

    private struct Peeked: Error {}

    static func startsLikeZip(_ archive: BundleArchive, _ name: String) -> Bool {
        var head = Data()
        do {
            try archive.stream(name) { data in
                head.append(data.prefix(4 - head.count))
                if head.count >= 4 { throw Peeked() }
            }
        } catch is Peeked {
        } catch {
            return false  // damaged: reported when it is read
        }
        return ZIPSignature.startsArchive(head)
    }

    /// ZIP entries not named `.zip`: a base's ZIP named after a shifted CSV field.
    public let misnamedZips: [String]

    public init(archive: BundleArchive) throws {
        self.archive = archive
        innerZips = archive.entryOrder.filter { $0.lowercased().hasSuffix(".zip") && !$0.contains("/") }
        misnamedZips = Self.zipsByContent(in: archive)
        workDirectory = try WorkDirectory.create(prefix: "transfert-sacoche")
    }

    deinit {
        try? FileManager.default.removeItem(at: workDirectory)
    }

    /// Entries that are not inner ZIPs: SACoche's importer ignores them; they are reported.
    public var otherEntries: [String] {
        archive.entryOrder.filter { !innerZips.contains($0) && !$0.hasSuffix("/") }
    }

    /// One base's inner ZIP, copied out and opened, with its SQL files in load order.
    public func openBase(_ innerZip: String) throws -> SACocheBase {
        guard let entry = archive.entries[innerZip] else { throw SACocheBundleError.missingInnerZip(innerZip) }
        // The copy is as large as the entry declares (the inflater holds it to that): refuse before writing.
        try diskSpace.require(
            entry.uncompressedSize, in: workDirectory, for: "a copy of \(innerZip) (read before its base is checked)")
        let file = workDirectory.appendingPathComponent(UUID().uuidString + ".zip")
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        let handle = try FileHandle(forWritingTo: file)
        var hasher = SHA256()
        do {
            try archive.stream(innerZip) { data in
                hasher.update(data: data)
                try handle.write(contentsOf: data)
            }
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        let inner: BundleArchive
        do {
            inner = try BundleArchive(url: file)
        } catch {
            try? FileManager.default.removeItem(at: file)
            if case .malformed(_, let reason) = error {
                throw SACocheBundleError.innerNotAZip(innerZip, reason: reason)
            }
            throw SACocheBundleError.innerNotAZip(innerZip, reason: String(describing: error))
        }
        let unsafe = inner.safetyProblems()
        guard unsafe.isEmpty else {
            try? FileManager.default.removeItem(at: file)
            // Each entry is named inside the inner ZIP, as SACoche's webmaster would look for it.
            throw SACocheBundleError.unsafeInnerZip(
                innerZip,
                problems: unsafe.map { problem in
                    Problem(
                        code: problem.code, message: problem.message,
                        location: ProblemLocation(file: problem.location?.file.map { "\(innerZip)/\($0)" } ?? innerZip))
                })
        }
        return SACocheBase(innerZip: innerZip, archive: inner, file: file, sha256: hasher.finalize().hexString)
    }
}

/// One base of a SACoche bundle: its inner ZIP, opened.
public final class SACocheBase {
    public let innerZip: String
    public let archive: BundleArchive
    /// The SHA-256 of the inner ZIP itself.
    public let sha256: String
    private let file: URL

    init(innerZip: String, archive: BundleArchive, file: URL, sha256: String) {
        self.innerZip = innerZip
        self.archive = archive
        self.file = file
        self.sha256 = sha256
    }

    deinit {
        try? FileManager.default.removeItem(at: file)
    }

    /// The SQL files, natsorted as SACoche loads them, and every entry that is not one.
    public var sqlFiles: (files: [String], problems: [String]) {
        var files: [String] = []
        var problems: [String] = []
        for name in archive.entryOrder where !name.hasSuffix("/") {
            if SACocheNames.isDumpEntry(name) {
                if SACocheNames.tableAndChunk(ofEntry: name) == nil {
                    problems.append("\(innerZip): entry \(name) is not named dump_<table>_NNNN.sql")
                } else {
                    files.append(name)
                }
            } else {
                problems.append(
                    "\(innerZip): entry \(name) is not a dump (SACoche's importer wants only dump_sacoche_….sql files: \"ne semble pas être une sauvegarde de base\")"
                )
            }
        }
        if files.isEmpty && problems.isEmpty {
            problems.append("\(innerZip) holds no dump_sacoche_….sql file: it is not a SACoche base")
        }
        files.sort(by: SACocheNames.naturalOrder)
        // Chunks of one table are numbered from 0 without a gap.
        var chunks: [String: [Int]] = [:]
        for file in files {
            if let (table, chunk) = SACocheNames.tableAndChunk(ofEntry: file) {
                chunks[table, default: []].append(chunk)
            }
        }
        for (table, numbers) in chunks.sorted(by: { $0.key < $1.key })
        where numbers.sorted() != Array(0..<numbers.count) {
            let missing = Set(0...(numbers.max() ?? 0)).subtracting(numbers).sorted()
            problems.append(
                "\(innerZip): table \(table) has chunks \(numbers.sorted().map(String.init).joined(separator: ", "))"
                    + (missing.isEmpty
                        ? " (a number twice)"
                        : ": chunk \(missing.map(String.init).joined(separator: ", ")) is missing"))
        }
        return (files, problems)
    }

    /// `version_base` found the way SACoche's importer finds it (FORMAT.md §5): in the parameter table's
    /// first file, the 10 characters starting 16 after the first `"version_base"` — before any SQL is read.
    public func versionBaseBySearch() throws -> String? {
        let table = SACocheNames.parameterTable
        guard
            let file = ["0000", "000", "0"].map({ "dump_\(table)_\($0).sql" }).first(where: {
                archive.entries[$0] != nil
            })
        else { return nil }
        var bytes: [UInt8] = []
        try archive.stream(file) { bytes.append(contentsOf: $0) }
        let needle = Array("\"version_base\"".utf8)
        guard let start = bytes.indices.first(where: { bytes[$0...].starts(with: needle) }) else { return nil }
        let text = String(decoding: bytes[start...].prefix(16 + 10 * 4), as: UTF8.self)
        let characters = Array(text)
        guard characters.count >= 26 else { return nil }
        return String(characters[16..<26])
    }

    /// SACoche's writer escaped only `"` until 2016-04-17 (FORMAT.md §4); the base's version tells which
    /// writer made the dump.
    func legacyEscapes() throws -> Bool {
        guard let version = try versionBaseBySearch() else { return false }
        return version < SACocheNames.modernEscapesSince
    }

    /// Parses every SQL file in load order into `handler`. Throws the first refusal, with its place.
    @discardableResult
    public func parse<Handler: DumpHandler>(into handler: Handler) throws -> SACocheDumpParser<Handler> {
        var parser = SACocheDumpParser(handler: handler)
        let legacy = try legacyEscapes()
        // One buffer for every file, emptied between them (a base has hundreds of files of up to 512 KiB).
        var bytes: [UInt8] = []
        for file in sqlFiles.files {
            guard let entry = archive.entries[file] else { continue }
            guard entry.uncompressedSize <= UInt64(SACocheDumpParser<Handler>.maximumFileBytes) else {
                throw SACocheBundleError.fileTooLarge("\(innerZip)/\(file)", bytes: entry.uncompressedSize)
            }
            bytes.removeAll(keepingCapacity: true)
            bytes.reserveCapacity(Int(entry.uncompressedSize))
            try archive.stream(file) { bytes.append(contentsOf: $0) }
            let table = SACocheNames.tableAndChunk(ofEntry: file)?.table
            do {
                try parser.parse(bytes, file: "\(innerZip)/\(file)", table: table, legacyEscapes: legacy)
            } catch {
                throw SACocheBundleError.refused(error)
            }
        }
        try parser.finish()
        return parser
    }
}

public enum SACocheBundleError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingInnerZip(String)
    case innerNotAZip(String, reason: String)
    case unsafeInnerZip(String, problems: [Problem])
    case fileTooLarge(String, bytes: UInt64)
    case refused(MySQLSyntaxError)
    /// Values a MySQL server in strict mode would refuse or change, each with its place.
    case valuesRefused([MySQLValueRefusal])

    public var description: String {
        switch self {
        case .missingInnerZip(let name): return "\(name) is not in the ZIP"
        case .innerNotAZip(let name, let reason): return "\(name) is not a readable ZIP (\(reason))"
        case .unsafeInnerZip(let name, let problems):
            return "\(name) is refused as unsafe: " + problems.map(\.message).joined(separator: "; ")
        case .fileTooLarge(let name, let bytes):
            return
                "\(name) holds \(bytes) bytes, more than a SACoche dump file can (\(SACocheDumpParser<SchemaOnlyHandler>.maximumFileBytes / 1024 / 1024) MiB)"
        case .refused(let error): return "refused: \(error)"
        case .valuesRefused(let problems):
            return
                "\(problems.count) value\(problems.count == 1 ? "" : "s") MySQL (strict mode) would refuse or change: "
                + problems.map(\.description).joined(separator: "; ")
        }
    }
}

extension SACocheBundleError: ProblemListError {
    /// The unsafe entries of an inner ZIP, one problem each (empty for the other cases).
    public var problems: [Problem] {
        if case .unsafeInnerZip(_, let problems) = self { return problems }
        return []
    }

    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .missingInnerZip: return .sacocheBundleMissingInnerZIP
        case .innerNotAZip: return .sacocheBundleInnerNotAZIP
        case .unsafeInnerZip: return .sacocheBundleUnsafeInnerZIP
        case .fileTooLarge: return .sacocheBundleFileTooLarge
        case .refused: return .sacocheBundleRefused
        case .valuesRefused: return .sacocheBundleValuesRefused
        }
    }
}
