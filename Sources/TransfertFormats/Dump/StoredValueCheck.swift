import Foundation
import TransfertModel

/// Decides, on the parsing thread, whether the engine stores each value of an INSERT's rows as it was
/// parsed, from the affinity of its column (``StoredValueRules``).
///
/// The parsed values are the ones digested; a value the engine would convert (the text `'1'` into an
/// INTEGER column, an integer into a REAL one, `'1e3'` into a NUMERIC one, `2.0` into an INTEGER one, a
/// number into a TEXT one) would be stored differently from its digest. A dump written by Transfert never
/// holds one, since the source engine already stored it converted: such a value is refused where it
/// stands, naming its table, row and column, instead of being trusted.
struct StoredValueCheck {
    /// The affinity of each column of the INSERT, in its order.
    private let affinities: [SQLiteAffinity]
    /// No column converts anything (every one is BLOB or ANY): rows need no look.
    let checksNothing: Bool

    init(rules: StoredValueRules, table: TableSchema, columns: [String]) {
        switch rules {
        case .sqliteTypeAffinity:
            let byName = Dictionary(
                table.columns.map { ($0.name, SQLiteAffinity(of: $0, strict: table.strict)) },
                uniquingKeysWith: { first, _ in first })
            // The parser checked that every column named exists.
            affinities = columns.map { byName[$0] ?? .blob }
        }
        checksNothing = affinities.allSatisfy(\.keepsEveryValue)
    }

    /// The first value of `row` the engine would store differently, with what it would store.
    func firstChange(in row: some RawRow) -> (index: Int, change: StoredValueChange)? {
        affinities.withUnsafeBufferPointer { affinities in
            for index in 0..<row.count {
                if let change = Self.change(of: row, at: index, affinity: affinities[index]) {
                    return (index, change)
                }
            }
            return nil
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

/// How the engine would store a value differently from the way it was parsed.
enum StoredValueChange: Equatable {
    case textToNumber
    case numberToText
    case integerToReal
    case realToInteger(Int64)

    /// "as a number", "as the integer 2"…, for the refusal.
    var stored: String {
        switch self {
        case .textToNumber: return "as a number (an integer or a real), not as text"
        case .numberToText: return "as text, not as a number"
        case .integerToReal: return "as a real, not as an integer"
        case .realToInteger(let value): return "as the integer \(value), not as a real"
        }
    }
}
