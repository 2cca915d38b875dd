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
/// It reads each table once, in digest order, and the rows it copies out are both written and digested
/// (``DumpTextEncoder``, on a second thread), so the digests in the manifest describe exactly the rows
/// that were written. Memory stays bounded by the chunk size and a few row batches, whatever the size
/// of the database.
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

    /// Rows copied out of the database wait for the formatting thread in batches of about
    /// `batchBytes`: at most `queuedBatches` queued, one being filled and one being formatted. Half a
    /// restore's batch, one queued: with two and 256 KiB, the 20,000-student export peaked at 63.7 MiB
    /// (paired runs); the hand-offs this adds cost nothing measurable.
    private static let queuedBatches = 1
    private static let batchBytes = RowBatch.targetBytes / 2

    public func write(
        from reader: any EstablishmentReader, header: String = "",
        emit: (DumpChunk) throws -> Void
    ) throws -> DumpSummary {
        // Read first: an object the format cannot carry stops the export before anything is written.
        let schema = try reader.schema().sorted
        try content.check(schema)
        return try withoutActuallyEscaping(emit) { emit in
            // This thread reads (the connection stays on its own queue) and copies the rows out; the
            // encoder formats, digests and hashes them on a thread of its own, so the export takes about
            // as long as the slower half rather than the sum of both.
            var encoder = DumpTextEncoder(
                output: ChunkedOutput(directory: directory, chunkSize: chunkSize), formatVersion: formatVersion,
                header: header, rowsPerStatement: rowsPerStatement, bytesPerStatement: bytesPerStatement,
                shouldStop: shouldStop, emit: emit)
            // Written batches come back to be refilled: a new batch each time cost an mmap, a munmap and
            // its page faults (large blocks go back to the system at once), 0.15 s of system time in a
            // 2,000-student export. At most `queuedBatches + 2` exist, so giving one back never waits.
            let spare = BoundedQueue<RowBatch>(capacity: Self.queuedBatches + 3)
            try Pipeline.consumeAside(
                capacity: Self.queuedBatches,
                produce: { send in try readRows(of: schema, from: reader, spare: spare, send: send) },
                consume: { batch in
                    try batch.replay(into: &encoder)
                    spare.put(batch)
                })
            let (bytes, sha256) = try encoder.finish()
            return DumpSummary(tables: encoder.digests, schema: schema, bytes: bytes, sha256: sha256)
        }
    }

    /// Sends the whole dump as operations, in the order the text is written: every table, then each
    /// table's rows in digest order (a table left out starts and ends empty), then indexes, views and
    /// triggers.
    private func readRows(
        of schema: DatabaseSchema, from reader: any EstablishmentReader, spare: BoundedQueue<RowBatch>,
        send: (RowBatch) -> Bool
    ) throws {
        var batch = RowBatch()
        func flush() throws {
            guard send(batch) else { throw RowBatcher.ConsumerStopped() }
            // Emptied while this is its only holder, so its arrays are kept rather than copied.
            if var reused = spare.poll() {
                reused.removeAll()
                batch = reused
            } else {
                batch = RowBatch()
            }
        }
        for table in schema.tables { batch.append(.createTable(table)) }
        for table in schema.tables {
            let columns = table.columnNames
            batch.append(.startInsert(table, columns: columns))
            // Left out: created, never filled; its digest is the empty table's.
            guard content.carries(table: table.name) else { continue }
            var anonymiser = try content.anonymiser(for: table, columns: columns)
            try reader.forEachRawRow(of: table.name, columns: columns) { raw in
                if anonymiser != nil {
                    batch.append(row: try anonymiser!.anonymise(raw))
                } else {
                    batch.append(row: raw)
                }
                if batch.approximateSize >= Self.batchBytes { try flush() }
            }
        }
        for table in schema.tables {
            for index in table.indexes { batch.append(.createIndex(index, on: table)) }
        }
        for view in schema.views { batch.append(.createView(view)) }
        for trigger in schema.triggers { batch.append(.createTrigger(trigger)) }
        try flush()
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
