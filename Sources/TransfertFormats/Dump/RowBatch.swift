import Foundation
import TransfertModel

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
        case createView(ViewSchema)
        case createTrigger(TriggerSchema)
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

    /// Empties the batch for reuse, keeping its memory: refilling a batch costs no allocation.
    mutating func removeAll() {
        operations.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
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
            firstValue + rowCount * width == first
        {
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
                        try handler.insertRows(
                            BatchRows(
                                values: values, bytes: bytes, firstValue: firstValue,
                                count: rowCount, width: width))
                    case .createIndex(let index, let table):
                        try handler.createIndex(index, on: table)
                    case .createView(let view):
                        try handler.createView(view)
                    case .createTrigger(let trigger):
                        try handler.createTrigger(trigger)
                    }
                }
            }
        }
    }
}
