import CMariaDB
import Foundation
import TransfertFormats
import TransfertModel

/// The current row of a ``MariaDBStatement`` in the binary protocol, read in place (see ``RawRow``):
/// integers as 64-bit, reals as doubles, text and blobs as bytes in buffers that grow to the longest
/// value met. A column's kind comes from its type: binary strings (character set 63) are blobs.
final class MariaDBRow: RawRow {
    let count: Int
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    let lengths: UnsafeMutablePointer<UInt>
    let nulls: UnsafeMutablePointer<my_bool>
    let errors: UnsafeMutablePointer<my_bool>
    private let kinds: [SQLValueKind]
    private var buffers: [UnsafeMutableRawPointer]
    private var capacities: [Int]

    init(fields: UnsafeMutablePointer<MYSQL_FIELD>, count: Int) {
        self.count = count
        binds = .allocate(capacity: max(1, count))
        binds.initialize(repeating: MYSQL_BIND(), count: max(1, count))
        lengths = .allocate(capacity: max(1, count))
        lengths.initialize(repeating: 0, count: max(1, count))
        nulls = .allocate(capacity: max(1, count))
        nulls.initialize(repeating: 0, count: max(1, count))
        errors = .allocate(capacity: max(1, count))
        errors.initialize(repeating: 0, count: max(1, count))
        var kinds: [SQLValueKind] = []
        buffers = []
        capacities = []
        for index in 0..<count {
            let field = fields[index]
            let kind = Self.kind(of: field)
            kinds.append(kind)
            let capacity = kind == .integer || kind == .real ? 8 : 256
            buffers.append(.allocate(byteCount: capacity, alignment: 8))
            capacities.append(capacity)
            var bind = MYSQL_BIND()
            switch kind {
            case .integer: bind.buffer_type = MYSQL_TYPE_LONGLONG
            case .real: bind.buffer_type = MYSQL_TYPE_DOUBLE
            case .blob: bind.buffer_type = MYSQL_TYPE_BLOB
            default: bind.buffer_type = MYSQL_TYPE_STRING
            }
            bind.buffer = buffers[index]
            bind.buffer_length = UInt(capacity)
            bind.length = lengths + index
            bind.is_null = nulls + index
            bind.error = errors + index
            binds[index] = bind
        }
        self.kinds = kinds
    }

    /// The neutral kind of a result column's values.
    static func kind(of field: MYSQL_FIELD) -> SQLValueKind {
        switch field.type {
        case MYSQL_TYPE_TINY, MYSQL_TYPE_SHORT, MYSQL_TYPE_LONG, MYSQL_TYPE_INT24, MYSQL_TYPE_LONGLONG, MYSQL_TYPE_YEAR:
            return .integer
        case MYSQL_TYPE_FLOAT, MYSQL_TYPE_DOUBLE:
            return .real
        case MYSQL_TYPE_TINY_BLOB, MYSQL_TYPE_MEDIUM_BLOB, MYSQL_TYPE_LONG_BLOB, MYSQL_TYPE_BLOB,
            MYSQL_TYPE_STRING, MYSQL_TYPE_VAR_STRING, MYSQL_TYPE_VARCHAR, MYSQL_TYPE_GEOMETRY:
            return field.charsetnr == 63 ? .blob : .text
        default:
            // DECIMAL, dates and times, BIT, ENUM, SET, JSON: their text form.
            return .text
        }
    }

    /// Makes column `index`'s buffer hold `length` bytes (after a truncated fetch).
    func grow(_ index: Int, to length: Int) {
        guard length > capacities[index] else { return }
        let capacity = max(length, capacities[index] * 2)
        buffers[index].deallocate()
        buffers[index] = .allocate(byteCount: capacity, alignment: 8)
        capacities[index] = capacity
        binds[index].buffer = buffers[index]
        binds[index].buffer_length = UInt(capacity)
    }

    func deallocate() {
        for buffer in buffers { buffer.deallocate() }
        buffers = []
        binds.deallocate()
        lengths.deallocate()
        nulls.deallocate()
        errors.deallocate()
    }

    func kind(at index: Int) -> SQLValueKind { nulls[index] != 0 ? .null : kinds[index] }

    func integer(at index: Int) -> Int64 { buffers[index].load(as: Int64.self) }

    func real(at index: Int) -> Double { buffers[index].load(as: Double.self) }

    func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: buffers[index], count: min(Int(lengths[index]), capacities[index])))
    }
}
