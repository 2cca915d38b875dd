import Foundation
import TransfertModel

/// The MariaDB column type a neutral column is created with, and what that type does to each kind of
/// value bound to it: the one place both the DDL (`MariaDBDDL`) and the restore's prediction
/// (``StoredValueCheck``) read it from, so that they cannot drift apart.
///
/// MariaDB converts quietly where the value's kind is not the column's: the text `'1'` bound for a
/// BIGINT is stored as the integer 1, `2.5` as 3, an integer in a DOUBLE as a real, a number in a
/// LONGTEXT as its text, text in a LONGBLOB as bytes — no warning, so the load's warning check cannot
/// see it. Each value is stored as parsed (same kind, same value, same digest) only when its kind is
/// the column's and it fits the type (a VARCHAR(768) key column holds 768 characters).
public enum MariaDBColumnStorage: Equatable, Sendable {
    case bigint
    case double
    /// `LONGTEXT`, or `VARCHAR(768)` in a key (`characterLimit`).
    case text(characterLimit: Int?)
    /// `LONGBLOB`, or `VARBINARY(3072)` in a key (`byteLimit`).
    case blob(byteLimit: Int?)

    /// The longest key MariaDB's InnoDB indexes in full: 3072 bytes, 768 characters of utf8mb4.
    public static let keyCharacters = 768

    /// The type of a neutral column; `nil` for NUMERIC, which no MariaDB type keeps (the DDL refuses it).
    public init?(of column: ColumnSchema, keyed: Bool) {
        switch column.type {
        case .integer: self = .bigint
        case .real: self = .double
        case .text: self = .text(characterLimit: keyed ? Self.keyCharacters : nil)
        case .blob: self = .blob(byteLimit: keyed ? Self.keyCharacters * 4 : nil)
        case .numeric: return nil
        }
    }

    /// The type as MariaDB's DDL spells it (text's character set and collation apart).
    public var declaration: String {
        switch self {
        case .bigint: return "BIGINT"
        case .double: return "DOUBLE"
        case .text(let limit): return limit.map { "VARCHAR(\($0))" } ?? "LONGTEXT"
        case .blob(let limit): return limit.map { "VARBINARY(\($0))" } ?? "LONGBLOB"
        }
    }

    /// Columns a key uses (primary, unique, foreign, or an index known so far): MariaDB indexes only
    /// bounded types, so they are created VARCHAR/VARBINARY.
    public static func keyedColumns(_ table: TableSchema) -> Set<String> {
        var names = Set(table.primaryKey.map { $0.lowercased() })
        for column in table.columns
        where column.constraints.contains(where: { $0.kind == .unique || $0.kind == .references }) {
            names.insert(column.name.lowercased())
        }
        for constraint in table.constraints where constraint.kind != .check {
            names.formUnion(constraint.columns.map { $0.lowercased() })
        }
        for index in table.indexes { names.formUnion(index.columns.map { $0.lowercased() }) }
        return names
    }

    /// What MariaDB stores instead of value `index` of `row` in a column of this type, or `nil` when it
    /// stores it as it is. Checked against the real server by `MariaDBStoredValueTests`.
    @inline(__always)
    func change(of row: some RawRow, at index: Int) -> StoredValueChange? {
        switch (row.kind(at: index), self) {
        case (.null, _), (.integer, .bigint), (.text, .text(characterLimit: .none)), (.blob, .blob(byteLimit: .none)):
            return nil
        case (.real, .double):
            // Its shortest decimal form reads back to the same double; MariaDB's DOUBLE has no infinity.
            return row.real(at: index).isFinite ? nil : .notFinite
        case (.text, .text(let limit?)):
            return row.withBytes(at: index) { Self.characters(in: $0, over: limit) } ? .tooLong(declaration) : nil
        case (.blob, .blob(let limit?)):
            return row.withBytes(at: index) { $0.count > limit } ? .tooLong(declaration) : nil
        case (.text, .bigint), (.text, .double), (.blob, .bigint), (.blob, .double):
            // A number's text becomes the number; anything else is refused by strict mode or becomes 0.
            return .textToNumber
        case (.real, .bigint):
            return .realRounded
        case (.integer, .double):
            return .integerToReal
        case (.integer, .text), (.real, .text):
            return .numberToText
        case (.blob, .text):
            return .blobToText
        case (.text, .blob), (.integer, .blob), (.real, .blob):
            return .toBlob
        }
    }

    /// Whether the UTF-8 `bytes` hold more than `limit` characters (code points, as MariaDB counts them
    /// in utf8mb4): counted only when the bytes alone do not settle it.
    static func characters(in bytes: UnsafeRawBufferPointer, over limit: Int) -> Bool {
        guard bytes.count > limit else { return false }
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        return count > limit
    }
}
