import Foundation

/// A slice of a parsed dump, copied out of the statement text so that it can cross to the thread that
/// writes the database (see ``Pipeline``): the schema statements in order, and the rows as flat arrays.
/// A value type on purpose: a class's stored properties would pay for dynamic exclusivity checks on
/// every row.
///
/// Values take 16 bytes each; text and blob bytes are packed one after the other in ``bytes``. A batch
/// is closed at about ``targetBytes``, which bounds the memory of the handoff.
struct RowBatch {
    enum Operation {
        case createTable(TableSchema)
        case startInsert(TableSchema, columns: [String])
        /// `rowCount` rows of `width` values, starting at `firstValue` in ``values``.
        case rows(firstValue: Int, rowCount: Int, width: Int)
        case createIndex(IndexSchema, on: TableSchema)
    }

    struct Value {
        var kind: SQLValueKind
        /// Integer or real bits; for text and blobs, the offset of the bytes in ``bytes``.
        var payload: UInt64
        var length: Int32
    }

    static let targetBytes = 256 * 1024

    private(set) var operations: [Operation] = []
    private(set) var values: [Value] = []
    private(set) var bytes: [UInt8] = []

    init() {
        values.reserveCapacity(Self.targetBytes / 32)
        bytes.reserveCapacity(Self.targetBytes / 2)
    }

    var approximateSize: Int { values.count * MemoryLayout<Value>.stride + bytes.count }
    var isEmpty: Bool { operations.isEmpty }

    mutating func append(_ operation: Operation) {
        operations.append(operation)
    }

    /// Copies one parsed row; consecutive rows of the same INSERT share one ``Operation/rows`` entry.
    mutating func append(row: some RawRow) {
        let first = values.count
        for index in 0..<row.count {
            switch row.kind(at: index) {
            case .null:
                values.append(Value(kind: .null, payload: 0, length: 0))
            case .integer:
                values.append(Value(kind: .integer, payload: UInt64(bitPattern: row.integer(at: index)), length: 0))
            case .real:
                values.append(Value(kind: .real, payload: row.real(at: index).bitPattern, length: 0))
            case let kind:
                let offset = bytes.count
                let length = row.withBytes(at: index) { source in
                    bytes.append(contentsOf: source)
                    return source.count
                }
                values.append(Value(kind: kind, payload: UInt64(offset), length: Int32(length)))
            }
        }
        if case .rows(let firstValue, let rowCount, let width)? = operations.last, width == row.count,
           firstValue + rowCount * width == first {
            operations[operations.count - 1] = .rows(firstValue: firstValue, rowCount: rowCount + 1, width: width)
        } else {
            operations.append(.rows(firstValue: first, rowCount: 1, width: row.count))
        }
    }

    /// Hands every operation, in order, to a database-side handler.
    func replay(into handler: inout some DumpHandler) throws {
        try values.withUnsafeBufferPointer { values in
            try bytes.withUnsafeBytes { bytes in
                for operation in operations {
                    switch operation {
                    case .createTable(let table):
                        try handler.createTable(table)
                    case .startInsert(let table, let columns):
                        try handler.startInsert(into: table, columns: columns)
                    case .rows(let firstValue, let rowCount, let width):
                        try handler.insertRows(BatchRows(values: values, bytes: bytes, firstValue: firstValue,
                                                         count: rowCount, width: width))
                    case .createIndex(let index, let table):
                        try handler.createIndex(index, on: table)
                    }
                }
            }
        }
    }
}

/// Consecutive rows of one INSERT in a ``RowBatch``.
struct BatchRows: RandomAccessCollection {
    let values: UnsafeBufferPointer<RowBatch.Value>
    let bytes: UnsafeRawBufferPointer
    let firstValue: Int
    let count: Int
    let width: Int

    var startIndex: Int { 0 }
    var endIndex: Int { count }
    subscript(position: Int) -> BatchRow {
        BatchRow(values: values, bytes: bytes, start: firstValue + position * width, count: width)
    }
}

/// One row of a ``RowBatch``, read in place.
struct BatchRow: RawRow {
    let values: UnsafeBufferPointer<RowBatch.Value>
    let bytes: UnsafeRawBufferPointer
    var start: Int
    let count: Int

    /// The batch's arrays are released only once every row of it was inserted.
    static var bytesOutliveTheCall: Bool { true }

    func kind(at index: Int) -> SQLValueKind { values[start + index].kind }
    func integer(at index: Int) -> Int64 { Int64(bitPattern: values[start + index].payload) }
    func real(at index: Int) -> Double { Double(bitPattern: values[start + index].payload) }

    func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let value = values[start + index]
        let offset = Int(value.payload)
        return try body(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(value.length)]))
    }
}

/// The parsing side of a pipelined restore: records what the parser reads into ``RowBatch``es, sends
/// each full one, and digests every table's rows as they pass (see ``StreamedDigests``).
struct RowBatcher: DumpHandler {
    private let send: (RowBatch) -> Bool
    private var batch = RowBatch()
    var digests = StreamedDigests()
    /// `false` once the consumer gave up: parsing stops at the next row.
    private(set) var consumerStopped = false

    init(send: @escaping (RowBatch) -> Bool) {
        self.send = send
    }

    mutating func createTable(_ table: TableSchema) throws {
        batch.append(.createTable(table))
        digests.start(table)
    }

    mutating func startInsert(into table: TableSchema, columns: [String]) throws {
        batch.append(.startInsert(table, columns: columns))
        digests.insert(into: table, columns: columns)
    }

    mutating func insertRow(_ row: some RawRow) throws {
        batch.append(row: row)
        digests.add(row)
        if batch.approximateSize >= RowBatch.targetBytes { try flush() }
    }

    mutating func createIndex(_ index: IndexSchema, on table: TableSchema) throws {
        batch.append(.createIndex(index, on: table))
    }

    /// Sends what is pending. Throws ``ConsumerStopped`` when the database side gave up.
    mutating func flush() throws {
        guard !batch.isEmpty else { return }
        let full = batch
        batch = RowBatch()
        if !send(full) {
            consumerStopped = true
            throw ConsumerStopped()
        }
    }

    struct ConsumerStopped: Error {}
}

/// Content digests computed from the parsed rows, on the parsing thread, in the canonical encoding of
/// ``ContentDigest``.
///
/// They equal the digests of the restored tables when every INSERT of a table names all its columns in
/// table order and the rows come in primary-key order — which is how the exporter writes dumps. A table
/// filled any other way has no streamed digest (``digest(of:)`` is `nil`) and must be read back.
struct StreamedDigests {
    private var digests: [String: ContentDigest] = [:]
    private var columns: [String: [String]] = [:]
    private var unusable: Set<String> = []
    /// The digest rows go to, taken out of `digests` while its table is being filled so that it is
    /// updated in place (no dictionary lookup, no copy, per row).
    private var current: (table: String, digest: ContentDigest)?

    mutating func start(_ table: TableSchema) {
        let names = table.columns.map(\.name)
        columns[table.name] = names
        digests[table.name] = ContentDigest(columns: names)
    }

    mutating func insert(into table: TableSchema, columns names: [String]) {
        park()
        if columns[table.name] != names { unusable.insert(table.name) }
        if !unusable.contains(table.name), let digest = digests.removeValue(forKey: table.name) {
            current = (table.name, digest)
        }
    }

    mutating func add(_ row: some RawRow) {
        current?.digest.add(row: row)
    }

    /// The finished digests of the tables that can be trusted, by table name.
    mutating func finished() -> [String: TableDigest] {
        park()
        var result: [String: TableDigest] = [:]
        for (table, digest) in digests where !unusable.contains(table) {
            var digest = digest
            result[table] = TableDigest(table: table, rows: digest.rowCount, sha256: digest.finalize())
        }
        return result
    }

    private mutating func park() {
        if let (table, digest) = current { digests[table] = digest }
        current = nil
    }
}
