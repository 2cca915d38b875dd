import Foundation
import TransfertModel

/// Decides, on the parsing thread, whether the engine stores each value of an INSERT's rows as it was
/// parsed, from its column's type (``StoredValueRules``).
///
/// The parsed values are the ones digested; a value the engine would convert (the text `'1'` into an
/// INTEGER column, an integer into a REAL one, `'1e3'` into a NUMERIC one, `2.0` into an INTEGER one, a
/// number into a TEXT one; on MariaDB also a blob into a text column, text into a blob one, a text longer
/// than a key column's VARCHAR) would be stored differently from its digest. A dump written by Transfert
/// never holds one, since the source engine already stored it converted: such a value is refused where
/// it stands, naming its table, row and column, instead of being trusted.
struct StoredValueCheck {
    /// What each column of the INSERT, in its order, does to the values bound to it.
    private let columns: [Column]
    let rules: StoredValueRules
    /// No column converts anything (SQLite's BLOB or ANY), or the table is proved after the load: rows
    /// need no look.
    let checksNothing: Bool

    enum Column {
        case sqlite(SQLiteAffinity)
        case typed(TypedColumnStorage)
        /// Stores every value as it is, or is not predicted (proved after the load).
        case unchecked
    }

    init(rules: StoredValueRules, table: TableSchema, columns names: [String]) {
        self.rules = rules
        let byName: [String: Column]
        switch rules {
        case .sqliteTypeAffinity:
            byName = Dictionary(
                table.columns.map { column in
                    let affinity = SQLiteAffinity(of: column, strict: table.strict)
                    return (column.name, affinity.keepsEveryValue ? .unchecked : .sqlite(affinity))
                }, uniquingKeysWith: { first, _ in first })
        case .mariadbColumnTypes:
            let keyed = TypedColumnStorage.mariadbKeyedColumns(table)
            let predicted = rules.predictsEveryValue(of: table)
            byName = Dictionary(
                table.columns.map { column in
                    let storage = TypedColumnStorage(mariadb: column, keyed: keyed.contains(column.name.lowercased()))
                    return (column.name, predicted ? storage.map(Column.typed) ?? .unchecked : .unchecked)
                }, uniquingKeysWith: { first, _ in first })
        case .postgresqlColumnTypes:
            byName = Dictionary(
                table.columns.map { ($0.name, TypedColumnStorage(postgresql: $0).map(Column.typed) ?? .unchecked) },
                uniquingKeysWith: { first, _ in first })
        }
        // The parser checked that every column named exists.
        columns = names.map { byName[$0] ?? .unchecked }
        checksNothing = columns.allSatisfy {
            if case .unchecked = $0 { return true }
            return false
        }
    }

    /// The first value of `row` the engine would store differently, with what it would store.
    func firstChange(in row: some RawRow) -> (index: Int, change: StoredValueChange)? {
        columns.withUnsafeBufferPointer { columns in
            for index in 0..<row.count {
                let change: StoredValueChange?
                switch columns[index] {
                case .sqlite(let affinity): change = Self.change(of: row, at: index, affinity: affinity)
                case .typed(let storage): change = storage.change(of: row, at: index)
                case .unchecked: change = nil
                }
                if let change { return (index, change) }
            }
            return nil
        }
    }

    /// The column as the refusal names it: "SQLite (column declared DATETIME, NUMERIC affinity)",
    /// "MariaDB (column declared INTEGER, created BIGINT)".
    func describe(_ column: ColumnSchema, at index: Int) -> String {
        let declared = column.declaredType.isEmpty ? "no declared type" : "declared \(column.declaredType)"
        switch columns[index] {
        case .sqlite(let affinity): return "\(rules.engine) (column \(declared), \(affinity.rawValue) affinity)"
        case .typed(let storage): return "\(rules.engine) (column \(declared), created \(storage.declaration))"
        case .unchecked: return "\(rules.engine) (column \(declared))"
        }
    }

    /// What SQLite stores instead of value `index` of `row` in a column of `affinity`, or `nil` when it
    /// stores the value as it is (`sqlite3VdbeApplyAffinity` in SQLite's `vdbe.c`, and the REAL column's
    /// read-back as a real).
    @inline(__always)
    static func change(of row: some RawRow, at index: Int, affinity: SQLiteAffinity) -> StoredValueChange? {
        switch (row.kind(at: index), affinity) {
        case (.null, _), (.blob, _), (_, .blob), (_, .any):
            return nil
        case (.text, .text):
            return nil
        case (.text, _):
            // INTEGER, REAL, NUMERIC: a text that reads as a number is stored as that number.
            return row.withBytes(at: index) { SQLiteNumericText.isNumber($0) } ? .textToNumber : nil
        case (.integer, .text), (.real, .text):
            return .numberToText
        case (.integer, .real):
            return .integerToReal
        case (.integer, _):
            return nil
        case (.real, .real):
            // Stored as an integer when it is one, but always read back as the same real (a negative
            // zero as zero, which the content digest does not tell apart).
            return nil
        case (.real, _):
            // INTEGER, NUMERIC: a real that is an integer in range is stored as the integer.
            let value = row.real(at: index)
            return Self.isStoredAsInteger(value) ? .realToInteger(Int64(value)) : nil
        }
    }

    /// SQLite's `sqlite3VdbeIntegerAffinity`: a real equal to an integer strictly between the smallest and
    /// the largest 64-bit integers becomes that integer.
    static func isStoredAsInteger(_ value: Double) -> Bool {
        value.isFinite && value.rounded(.towardZero) == value && value > -9_223_372_036_854_775_808.0
            && value < 9_223_372_036_854_775_808.0
    }
}
