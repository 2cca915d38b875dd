import Foundation
import TransfertModel

/// A database value in the neutral type set Transfert moves between backends.
///
/// Every backend maps its column types onto these five storage classes (see `Docs/archive-format.md`),
/// which is what lets a dump made from SQLite be restored into PostgreSQL and back.
public enum SQLValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)
}

extension SQLValue: CustomStringConvertible {
    /// A short human rendering (not SQL): used in statistics tables and error messages.
    public var description: String {
        switch self {
        case .null: return ""
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return v
        case .blob(let v): return "<\(v.count) bytes>"
        }
    }

    public var integerValue: Int64? {
        switch self {
        case .integer(let v): return v
        case .real(let v): return Int64(exactly: v)
        case .text(let v): return Int64(v)
        default: return nil
        }
    }

    public var textValue: String? {
        switch self {
        case .text(let v): return v
        case .integer, .real: return description
        default: return nil
        }
    }
}

/// An array of neutral values seen as a ``RawRow``, so that code written once for raw rows (digests,
/// SQL encoding) also serves values built in memory.
public struct SQLValueRow: RawRow {
    public var values: [SQLValue]

    public init(values: [SQLValue]) {
        self.values = values
    }

    public var count: Int { values.count }

    public func kind(at index: Int) -> SQLValueKind {
        switch values[index] {
        case .null: return .null
        case .integer: return .integer
        case .real: return .real
        case .text: return .text
        case .blob: return .blob
        }
    }

    public func integer(at index: Int) -> Int64 {
        if case .integer(let v) = values[index] { return v }
        return 0
    }

    public func real(at index: Int) -> Double {
        if case .real(let v) = values[index] { return v }
        return 0
    }

    public func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch values[index] {
        case .text(var text): return try text.withUTF8 { try body(UnsafeRawBufferPointer($0)) }
        case .blob(let data): return try data.withUnsafeBytes(body)
        default: return try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
    }
}

extension SQLValue {
    /// The value as a literal of the archive format (`NULL`, `42`, `'text'`, `X'00FF'`), for messages.
    public var sqlLiteral: String {
        var buffer: [UInt8] = []
        SQLTextEncoder.append(self, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
