import Foundation
import TransfertModel

/// The type a typed engine (MariaDB, PostgreSQL) creates a neutral column with, and what that type does
/// to each kind of value bound to it: the one place both MariaDB's DDL (`MariaDBDDL`) and the restore's
/// prediction (``StoredValueCheck``) read it from, so that they cannot drift apart.
///
/// Such an engine converts quietly where the value's kind is not the column's: the text `'1'` bound for
/// a BIGINT is stored as the integer 1, `2.5` as 3, an integer in a DOUBLE as a real, a number in a text
/// column as its text, text in a blob column as bytes — no warning, so a load's warning check cannot see
/// it. A value is stored as parsed (same kind, same value, same digest) only when its kind is the
/// column's and it fits the type (MariaDB's VARCHAR(768) key column holds 768 characters).
public struct TypedColumnStorage: Equatable, Sendable {
    /// The one kind of value the column keeps.
    public let kind: SQLValueKind
    /// Characters (text) or bytes (blob) at most; nil when unbounded.
    public let limit: Int?
    /// Whether the real type holds ±infinity (PostgreSQL's does, MariaDB's DOUBLE does not).
    public let keepsInfinity: Bool
    /// The type as the engine's DDL spells it (text's character set and collation apart).
    public let declaration: String

    /// The longest key MariaDB's InnoDB indexes in full: 3072 bytes, 768 characters of utf8mb4.
    public static let mariadbKeyCharacters = 768

    /// MariaDB's type for a neutral column: BIGINT, DOUBLE, LONGTEXT (VARCHAR(768) in a key), LONGBLOB
    /// (VARBINARY(3072) in a key); nil for NUMERIC, which no MariaDB type keeps (the DDL refuses it).
    public init?(mariadb column: ColumnSchema, keyed: Bool) {
        keepsInfinity = false
        switch column.type {
        case .integer: (kind, limit, declaration) = (.integer, nil, "BIGINT")
        case .real: (kind, limit, declaration) = (.real, nil, "DOUBLE")
        case .text:
            limit = keyed ? Self.mariadbKeyCharacters : nil
            (kind, declaration) = (.text, limit.map { "VARCHAR(\($0))" } ?? "LONGTEXT")
        case .blob:
            limit = keyed ? Self.mariadbKeyCharacters * 4 : nil
            (kind, declaration) = (.blob, limit.map { "VARBINARY(\($0))" } ?? "LONGBLOB")
        case .numeric: return nil
        }
    }

    /// PostgreSQL's type for a neutral column (`PostgreSQLDDL`): bigint, double precision, text, bytea,
    /// all unbounded; nil for NUMERIC, which it refuses too.
    public init?(postgresql column: ColumnSchema) {
        keepsInfinity = true
        limit = nil
        switch column.type {
        case .integer: (kind, declaration) = (.integer, "bigint")
        case .real: (kind, declaration) = (.real, "double precision")
        case .text: (kind, declaration) = (.text, "text")
        case .blob: (kind, declaration) = (.blob, "bytea")
        case .numeric: return nil
        }
    }

    /// Columns a key uses (primary, unique, foreign, or an index known so far): MariaDB indexes only
    /// bounded types, so it creates them VARCHAR/VARBINARY.
    public static func mariadbKeyedColumns(_ table: TableSchema) -> Set<String> {
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

    /// What the engine stores instead of value `index` of `row` in a column of this type, or `nil` when
    /// it stores it as it is. Checked against the real servers by `TypedColumnStorageTests` and
    /// `StoredValueEngineTests`.
    @inline(__always)
    func change(of row: some RawRow, at index: Int) -> StoredValueChange? {
        let given = row.kind(at: index)
        if given == .null { return nil }
        if given == kind {
            switch kind {
            case .real:
                // Its shortest decimal form reads back to the same double.
                return keepsInfinity || row.real(at: index).isFinite ? nil : .notFinite
            case .text:
                guard let limit else { return nil }
                return row.withBytes(at: index) { Self.characters(in: $0, over: limit) } ? .tooLong(declaration) : nil
            case .blob:
                guard let limit else { return nil }
                return row.withBytes(at: index) { $0.count > limit } ? .tooLong(declaration) : nil
            default:
                return nil
            }
        }
        switch (given, kind) {
        case (.text, .integer), (.text, .real):
            // A number's text becomes the number; anything else is refused, or becomes 0.
            return .textToNumber
        case (.blob, .integer), (.blob, .real):
            return .blobToNumber
        case (.real, .integer):
            return .realRounded
        case (.integer, .real):
            return .integerToReal
        case (.integer, .text), (.real, .text):
            return .numberToText
        case (.blob, .text):
            return .blobToText
        default:
            // Text or a number bound to a blob column.
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
