import Foundation
import TransfertModel

/// The formatting half of an export's dump (see ``DumpWriter``): writes what the reading half sends —
/// tables, rows, indexes, views, triggers — as the archive format's SQL text, in numbered chunks, and
/// digests each table's rows as they are written.
///
/// It is the inverse of ``DumpParser``, and a ``DumpHandler`` like the parser's consumers: the reading
/// half copies rows out of the database into ``RowBatch``es, and this replays them on a thread of its
/// own, so that SQLite's reading and the formatting, digesting and hashing share the two cores.
struct DumpTextEncoder: DumpHandler {
    private var output: ChunkedOutput
    private let emit: (DumpChunk) throws -> Void
    private let rowsPerStatement: Int
    private let bytesPerStatement: Int
    private let shouldStop: () -> Bool
    /// The digests of the tables whose rows are complete, in the order they came.
    private(set) var digests: [TableDigest] = []
    /// The table being filled and its digest so far.
    private var current: (table: String, digest: ContentDigest)?
    private var insertPrefix: [UInt8] = []
    private var rowsInStatement = 0
    private var statementStart = 0

    /// Writes the dump's opening comments, `BEGIN` and the deferred foreign keys.
    init(
        output: ChunkedOutput, formatVersion: Int, header: String, rowsPerStatement: Int,
        bytesPerStatement: Int, shouldStop: @escaping () -> Bool, emit: @escaping (DumpChunk) throws -> Void
    ) {
        self.output = output
        self.emit = emit
        self.rowsPerStatement = rowsPerStatement
        self.bytesPerStatement = bytesPerStatement
        self.shouldStop = shouldStop
        let directory = output.directory
        self.output.append("-- Transfert dump, archive format \(formatVersion). Load by hand with:\n")
        self.output.append("--   cat \(directory)/*.sql | sqlite3 new.db\n")
        for line in header.split(separator: "\n") { self.output.append("-- \(line)\n") }
        self.output.append("BEGIN TRANSACTION;\n")
        // Rows come table by table in name order, not parents first: a connection that enforces foreign
        // keys checks them at COMMIT (restores defer them the same way and check once).
        self.output.append("PRAGMA defer_foreign_keys = ON;\n")
    }

    mutating func createTable(_ table: TableSchema) throws {
        output.append(PortableDDL.createTable(table) + "\n")
    }

    /// Starts a table's rows; a table left out of the export starts and ends with none, and its digest
    /// is the empty table's.
    mutating func startInsert(into table: TableSchema, columns: [String]) throws {
        try finishTable()
        try output.closeStatement(emit)
        current = (table.name, ContentDigest(columns: columns))
        insertPrefix = Array(
            "INSERT INTO \(quoteIdentifier(table.name)) (\(columns.map(quoteIdentifier).joined(separator: ", "))) VALUES\n("
                .utf8)
    }

    mutating func insertRows<Rows: RandomAccessCollection>(_ rows: Rows) throws where Rows.Element: RawRow {
        for row in rows { try insertRow(row) }
    }

    mutating func insertRow(_ row: some RawRow) throws {
        current?.digest.add(row: row)
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

    /// Indexes come after the data (faster to build once), then views and triggers, which no restored
    /// row may fire: the reading half sends them in that order.
    mutating func createIndex(_ index: IndexSchema, on table: TableSchema) throws {
        try finishTable()
        output.append(PortableDDL.createIndex(index, on: table.name) + "\n")
    }

    mutating func createView(_ view: ViewSchema) throws {
        try finishTable()
        output.append(PortableDDL.createView(view) + "\n")
    }

    mutating func createTrigger(_ trigger: TriggerSchema) throws {
        try finishTable()
        output.append(PortableDDL.createTrigger(trigger) + "\n")
    }

    /// Writes `COMMIT` and the last chunk; returns the dump's size and SHA-256.
    mutating func finish() throws -> (bytes: Int64, sha256: String) {
        try finishTable()
        output.append("COMMIT;\n")
        try output.finish(emit)
        return (output.totalBytes, output.finalizeDigest())
    }

    /// Closes the open INSERT, if any, and records the finished table's digest.
    private mutating func finishTable() throws {
        guard var digest = current?.digest, let table = current?.table else { return }
        current = nil
        if rowsInStatement > 0 {
            output.buffer.append(contentsOf: [0x3B, 0x0A])
            rowsInStatement = 0
            try output.closeStatement(emit)
        }
        digests.append(TableDigest(table: table, rows: digest.rowCount, sha256: digest.finalize()))
    }
}
