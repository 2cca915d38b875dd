import Crypto
import Foundation
import TransfertModel

/// One numbered file of an establishment's dump.
public struct DumpChunk: Sendable {
    /// Path inside the bundle: `<Nom_fichier>/<number>.sql`.
    public var path: String
    public var bytes: Data
    public var sha256: String
}

/// What a dump contains, recorded in the bundle manifest.
public struct DumpSummary: Codable, Equatable, Sendable {
    public var tables: [TableDigest]
    /// Everything the database declares, all of it written in the dump.
    public var schema: DatabaseSchema
    /// Total size of the SQL text, all chunks together.
    public var bytes: Int64
    /// SHA-256 of all chunks concatenated in order (`cat <Nom_fichier>/*.sql | sha256sum`).
    public var sha256: String
    public var rows: Int64 { tables.map(\.rows).reduce(0, +) }
}

/// Writes one establishment database as SQL text in the archive format, in numbered chunks.
///
/// It reads each table once, in digest order, and in the same pass computes the table's content digest,
/// so the digests in the manifest describe exactly the rows that were written. Memory stays bounded by
/// the chunk size (plus one row), whatever the size of the database.
///
/// ```swift
/// let summary = try hosting.establishments.read(baseID: 12) { reader in
///     try DumpWriter(directory: "base_12").write(from: reader) { chunk in archive.add(chunk) }
/// }
/// ```
public struct DumpWriter {
    /// The folder of this dump inside the bundle (the CSV's `Nom_fichier`).
    public var directory: String
    /// A chunk is closed at the first statement boundary past this size. 1 MiB since issue #29: a chunk
    /// is held up to four times at once (being formatted, copied out, queued, deflated), and at 2 MiB an
    /// export of 20,000 students peaked at 66–67 MiB; at 1 MiB, 59–61 MiB, for a ZIP 0.08 % larger and
    /// an import of the same speed (paired runs).
    public var chunkSize: Int = 1024 * 1024
    /// A multi-row INSERT is closed after this many rows or bytes.
    public var rowsPerStatement = 1000
    public var bytesPerStatement = 512 * 1024
    /// Checked between statements: return `true` to stop (an interrupted export).
    public var shouldStop: () -> Bool = { false }
    /// Which tables' rows are written, and whether personal data is replaced (`export --without`,
    /// `--only`, `--anonymise`). The digests describe the rows as written: a left-out table's is the empty
    /// table's, an anonymised table's that of its pseudonyms.
    public var content = DumpContentPolicy.everything
    /// The archive format named in the dump's first comment (the manifest's `format_version`).
    public var formatVersion = BundleFormat.completeVersion

    public init(directory: String) {
        self.directory = directory
    }

    public func write(
        from reader: any EstablishmentReader, header: String = "",
        emit: (DumpChunk) throws -> Void
    ) throws -> DumpSummary {
        // Read first: an object the format cannot carry stops the export before anything is written.
        let schema = try reader.schema().sorted
        try content.check(schema)
        var output = ChunkedOutput(directory: directory, chunkSize: chunkSize)
        output.append("-- Transfert dump, archive format \(formatVersion). Load by hand with:\n")
        output.append("--   cat \(directory)/*.sql | sqlite3 new.db\n")
        for line in header.split(separator: "\n") { output.append("-- \(line)\n") }
        output.append("BEGIN TRANSACTION;\n")
        // Rows come table by table in name order, not parents first: a connection that enforces foreign
        // keys checks them at COMMIT (restores defer them the same way and check once).
        output.append("PRAGMA defer_foreign_keys = ON;\n")
        for table in schema.tables { output.append(PortableDDL.createTable(table) + "\n") }
        try output.closeStatement(emit)

        var digests: [TableDigest] = []
        for table in schema.tables {
            let columns = table.columnNames
            var digest = ContentDigest(columns: columns)
            guard content.carries(table: table.name) else {
                // Left out: created, never filled; its digest is the empty table's.
                digests.append(TableDigest(table: table.name, rows: 0, sha256: digest.finalize()))
                continue
            }
            var anonymiser = try content.anonymiser(for: table, columns: columns)
            let insertPrefix = Array(
                "INSERT INTO \(quoteIdentifier(table.name)) (\(columns.map(quoteIdentifier).joined(separator: ", "))) VALUES\n("
                    .utf8)
            var rowsInStatement = 0
            var statementStart = 0
            try reader.forEachRawRow(of: table.name, columns: columns) { raw in
                let row: any RawRow = try anonymiser?.anonymise(raw) ?? raw
                digest.add(row: row)
                if rowsInStatement == 0 {
                    statementStart = output.buffer.count
                    output.buffer.append(contentsOf: insertPrefix)
                } else {
                    output.buffer.append(contentsOf: [0x2C, 0x0A, 0x28])  // ",\n("
                }
                for index in 0..<row.count {
                    if index > 0 { output.buffer.append(0x2C) }
                    SQLTextEncoder.append(row, at: index, to: &output.buffer)
                }
                output.buffer.append(0x29)  // ")"
                rowsInStatement += 1
                if rowsInStatement >= rowsPerStatement || output.buffer.count - statementStart >= bytesPerStatement {
                    output.buffer.append(contentsOf: [0x3B, 0x0A])  // ";\n"
                    rowsInStatement = 0
                    if shouldStop() { throw DumpError.interrupted }
                    try output.closeStatement(emit)
                }
            }
            if rowsInStatement > 0 {
                output.buffer.append(contentsOf: [0x3B, 0x0A])
                try output.closeStatement(emit)
            }
            digests.append(TableDigest(table: table.name, rows: digest.rowCount, sha256: digest.finalize()))
        }
        // Indexes after the data (faster to build once), then views and triggers, which no restored row
        // may fire.
        for table in schema.tables {
            for index in table.indexes { output.append(PortableDDL.createIndex(index, on: table.name) + "\n") }
        }
        for view in schema.views { output.append(PortableDDL.createView(view) + "\n") }
        for trigger in schema.triggers { output.append(PortableDDL.createTrigger(trigger) + "\n") }
        output.append("COMMIT;\n")
        try output.finish(emit)
        return DumpSummary(tables: digests, schema: schema, bytes: output.totalBytes, sha256: output.finalizeDigest())
    }
}

/// Accumulates SQL text and hands out numbered chunks at statement boundaries.
private struct ChunkedOutput {
    let directory: String
    let chunkSize: Int
    var buffer: [UInt8] = []
    var number = 0
    var totalBytes: Int64 = 0
    var dumpHasher = SHA256()

    init(directory: String, chunkSize: Int) {
        self.directory = directory
        self.chunkSize = chunkSize
        buffer.reserveCapacity(chunkSize + 1024 * 1024)
    }

    mutating func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    /// Called after a complete statement: emits a chunk when the buffer is full enough.
    mutating func closeStatement(_ emit: (DumpChunk) throws -> Void) throws {
        if buffer.count >= chunkSize { try flush(emit) }
    }

    mutating func finish(_ emit: (DumpChunk) throws -> Void) throws {
        if !buffer.isEmpty || number == 0 { try flush(emit) }
    }

    mutating func finalizeDigest() -> String { dumpHasher.finalize().hexString }

    private mutating func flush(_ emit: (DumpChunk) throws -> Void) throws {
        number += 1
        let data = Data(buffer)
        buffer.removeAll(keepingCapacity: true)
        dumpHasher.update(data: data)
        totalBytes += Int64(data.count)
        try emit(
            DumpChunk(
                path: "\(directory)/\(String(format: "%06d", number)).sql", bytes: data,
                sha256: SHA256.hash(data: data).hexString))
    }
}

public enum DumpError: Error, Equatable, Sendable, CustomStringConvertible {
    case interrupted
    public var description: String { "the export was interrupted" }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, as digests are written everywhere in Transfert.
    var hexString: String {
        var text = ""
        for byte in self {
            text.append(Character(UnicodeScalar(byte >> 4 < 10 ? 0x30 + byte >> 4 : 0x57 + byte >> 4)))
            text.append(Character(UnicodeScalar(byte & 0xF < 10 ? 0x30 + byte & 0xF : 0x57 + byte & 0xF)))
        }
        return text
    }
}

extension DumpError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .interrupted: return .dumpInterrupted
        }
    }
}
