import Foundation
import NIOCore
import PostgresNIO
import TransfertFormats
import TransfertModel

/// One row of a streamed query (``PostgreSQLConnection/forEachRow(_:_:_:)``), its values decoded from the
/// bytes the server sent (``PostgreSQLValues/value(of:server:)`` says how each type reads). A ``RawRow``,
/// so that digests and dump encoders written once for raw rows read it too.
///
/// Integers and reals are decoded in place and text and bytea are kept as the bytes received (no `String`
/// or `Data` per value: an export reads millions of them); the other types go through
/// ``PostgreSQLValues``. One value is reused from row to row by the stream (``decode(_:server:)``).
package struct PostgreSQLRow: RawRow {
    private var kinds: [SQLValueKind] = []
    private var numbers: [UInt64] = []
    private var buffers: [ByteBuffer?] = []

    init() {}

    init(values: [SQLValue]) {
        for value in values { append(value) }
    }

    /// Replaces the values with those of `row`.
    mutating func decode(_ row: PostgresRow, server: String) throws(PostgreSQLError) {
        kinds.removeAll(keepingCapacity: true)
        numbers.removeAll(keepingCapacity: true)
        buffers.removeAll(keepingCapacity: true)
        for cell in row {
            guard let bytes = cell.bytes else {
                append(kind: .null)
                continue
            }
            guard cell.format == .binary else {
                append(try PostgreSQLValues.value(of: cell, server: server))
                continue
            }
            switch (cell.dataType, bytes.readableBytes) {
            // Big-endian, as the binary format sends them; the length is checked by the match.
            case (.int8, 8): append(integer: Int64(bytes.getInteger(at: bytes.readerIndex, as: Int64.self)!))
            case (.int4, 4): append(integer: Int64(bytes.getInteger(at: bytes.readerIndex, as: Int32.self)!))
            case (.int2, 2): append(integer: Int64(bytes.getInteger(at: bytes.readerIndex, as: Int16.self)!))
            case (.float8, 8): append(kind: .real, number: bytes.getInteger(at: bytes.readerIndex, as: UInt64.self)!)
            case (.text, _), (.varchar, _), (.bpchar, _), (.name, _), (.unknown, _): append(kind: .text, bytes: bytes)
            case (.bytea, _): append(kind: .blob, bytes: bytes)
            default: append(try PostgreSQLValues.value(of: cell, server: server))
            }
        }
    }

    private mutating func append(integer: Int64) { append(kind: .integer, number: UInt64(bitPattern: integer)) }

    private mutating func append(kind: SQLValueKind, number: UInt64 = 0, bytes: ByteBuffer? = nil) {
        kinds.append(kind)
        numbers.append(number)
        buffers.append(bytes)
    }

    private mutating func append(_ value: SQLValue) {
        switch value {
        case .null: append(kind: .null)
        case .integer(let number): append(integer: number)
        case .real(let number): append(kind: .real, number: number.bitPattern)
        case .text(let text): append(kind: .text, bytes: ByteBuffer(string: text))
        case .blob(let data): append(kind: .blob, bytes: ByteBuffer(bytes: data))
        }
    }

    package var values: [SQLValue] { (0..<count).map { value(at: $0) } }
    /// About what the row took as received: its text and bytea bytes, and eight bytes per other value
    /// (``PostgreSQLCursor`` sizes its fetches by it).
    var receivedBytes: Int { buffers.reduce(8 * count) { $0 + ($1?.readableBytes ?? 0) } }
    package var count: Int { kinds.count }
    package func kind(at index: Int) -> SQLValueKind { kinds[index] }
    package func integer(at index: Int) -> Int64 { Int64(bitPattern: numbers[index]) }
    package func real(at index: Int) -> Double { Double(bitPattern: numbers[index]) }
    package func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard let buffer = buffers[index] else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try buffer.withUnsafeReadableBytes(body)
    }
}
