import Crypto
import Foundation

/// A SHA-256 digest of a table's *values*, independent of how they were written as SQL.
///
/// Two tables with the same columns and the same rows in primary-key order have the same digest,
/// whichever backend holds them and whichever dump produced them: that is how verify and import prove a
/// restored table equals its source. The canonical encoding is specified in `Docs/archive-format.md`:
///
/// - the column names, each as a text value, then a `0x1E` separator byte;
/// - then every row, each value as one tag byte followed by its payload:
///   `0x00` NULL; `0x01` integer, 8 bytes big-endian two's complement; `0x02` real, 8 bytes
///   big-endian IEEE 754 bits, negative zero written as zero (SQL holds them equal and MariaDB does not
///   keep the sign); `0x03` text, 8-byte big-endian length then UTF-8 bytes;
///   `0x04` blob, 8-byte big-endian length then the bytes;
/// - and a `0x1D` byte after each row.
public struct ContentDigest {
    private var hasher = SHA256()
    private var buffer: [UInt8] = []
    public private(set) var rowCount: Int64 = 0

    /// Bytes accumulated before they are handed to SHA-256: one call per 64 KiB rather than per value.
    private static let flushThreshold = 64 * 1024

    public init(columns: [String]) {
        buffer.reserveCapacity(Self.flushThreshold + 4096)
        for column in columns {
            buffer.append(0x03)
            var name = column
            name.withUTF8 { appendLengthPrefixed(UnsafeRawBufferPointer($0)) }
        }
        buffer.append(0x1E)
    }

    public mutating func add(row: [SQLValue]) {
        add(row: SQLValueRow(values: row))
    }

    /// Adds a row read straight from the backend's buffers.
    public mutating func add(row: some RawRow) {
        for index in 0..<row.count {
            switch row.kind(at: index) {
            case .null:
                buffer.append(0x00)
            case .integer:
                buffer.append(0x01)
                appendBigEndian(UInt64(bitPattern: row.integer(at: index)))
            case .real:
                buffer.append(0x02)
                let value = row.real(at: index)
                // -0.0 == 0.0 in SQL, and not every engine keeps the sign: digest the one zero.
                appendBigEndian(value == 0 ? 0 : value.bitPattern)
            case .text:
                buffer.append(0x03)
                row.withBytes(at: index) { appendLengthPrefixed($0) }
            case .blob:
                buffer.append(0x04)
                row.withBytes(at: index) { appendLengthPrefixed($0) }
            }
        }
        buffer.append(0x1D)
        rowCount += 1
        if buffer.count >= Self.flushThreshold { flush() }
    }

    /// The lower-case hexadecimal SHA-256.
    public mutating func finalize() -> String {
        flush()
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    private mutating func appendLengthPrefixed(_ bytes: UnsafeRawBufferPointer) {
        appendBigEndian(UInt64(bytes.count))
        buffer.append(contentsOf: bytes)
    }

    private mutating func appendBigEndian(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }

    private mutating func flush() {
        buffer.withUnsafeBufferPointer { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Row count and content digest of one table.
public struct TableDigest: Codable, Equatable, Sendable {
    public var table: String
    public var rows: Int64
    public var sha256: String

    public init(table: String, rows: Int64, sha256: String) {
        self.table = table
        self.rows = rows
        self.sha256 = sha256
    }
}

extension EstablishmentReader {
    /// Digests every table of the database, in name order.
    public func tableDigests() throws -> [TableDigest] {
        try tableNames().map { try tableDigest($0) }
    }

    /// Reads `table` whole, in primary-key order, and digests it.
    public func tableDigest(_ table: String) throws -> TableDigest {
        let columns = try columnNames(of: table)
        var digest = ContentDigest(columns: columns)
        try forEachRawRow(of: table, columns: columns) { digest.add(row: $0) }
        return TableDigest(table: table, rows: digest.rowCount, sha256: digest.finalize())
    }
}

/// A digest of a whole hosting's content: registry rows, every establishment's tables and files.
///
/// Used to prove `transfert sample` is deterministic, and handy to compare two hostings.
public enum HostingDigest {
    public static func compute(_ hosting: Hosting) throws -> String {
        var hasher = SHA256()
        func feed(_ text: String) { hasher.update(data: Data((text + "\n").utf8)) }
        for zone in try hosting.registry.zones() { feed("zone \(zone.id) \(zone.name)") }
        for s in try hosting.registry.structures() {
            feed("structure \(s.baseID) \(s.guid) \(s.zoneID) \(s.uai?.rawValue ?? "") \(s.localisation) \(s.denomination) \(s.contactNom) \(s.contactPrenom) \(s.contactCourriel) \(s.inscriptionDate)")
            for table in try hosting.establishments.read(baseID: s.baseID, { try $0.tableDigests() }) {
                feed("table \(table.table) \(table.rows) \(table.sha256)")
            }
            for file in try FileTree.digests(of: hosting.filesDirectory(baseID: s.baseID)) {
                feed("file \(file.path) \(file.size) \(file.sha256)")
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

extension FileTree {
    /// Every regular file below `directory`, by relative path (sorted), with its size and SHA-256.
    static func digests(of directory: URL) throws -> [(path: String, size: Int64, sha256: String)] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        let rootPath = directory.standardizedFileURL.resolvingSymlinksInPath().path
        var result: [(String, Int64, String)] = []
        for case let url as URL in enumerator where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            let full = url.standardizedFileURL.resolvingSymlinksInPath().path
            let relative = String(full.dropFirst(rootPath.count + 1))
            // Hashed in slices: an upload may be larger than memory should hold.
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            var hasher = SHA256()
            var size: Int64 = 0
            while let data = try handle.read(upToCount: 1024 * 1024), !data.isEmpty {
                hasher.update(data: data)
                size += Int64(data.count)
            }
            result.append((relative, size, hasher.finalize().hexString))
        }
        return result.sorted { $0.0 < $1.0 }
    }
}
