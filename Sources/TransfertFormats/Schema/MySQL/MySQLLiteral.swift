import Foundation
import TransfertModel

/// A value as a MySQL dump writes it, before the column's type gives it its meaning.
public enum MySQLLiteral: Equatable, Sendable {
    case null
    /// A bare number, sign included (`12`, `-3`, `1.5`).
    case number(String)
    /// A quoted string, escapes decoded, valid UTF-8.
    case string(String)
    /// A quoted string whose bytes are not UTF-8.
    case bytes([UInt8])

    /// The literal a MySQL dump writes for a value, before quoting: what a MySQL server is given, and so
    /// what ``MySQLValueCoercion`` checks.
    public init(of row: some RawRow, at index: Int) {
        switch row.kind(at: index) {
        case .null: self = .null
        case .integer: self = .number(String(row.integer(at: index)))
        case .real: self = .number(Self.realText(row.real(at: index)))
        case .text, .blob:
            self = row.withBytes(at: index) { bytes in
                let array = Array(bytes)
                return String(validating: array, as: UTF8.self).map { .string($0) } ?? .bytes(array)
            }
        }
    }

    /// `12.5`, `3` (not `3.0`): how MySQL prints a double.
    public static func realText(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
