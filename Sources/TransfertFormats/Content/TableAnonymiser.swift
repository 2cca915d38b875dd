import Crypto
import Foundation
import TransfertModel

/// Replaces the personal-data columns of one table's rows while they are dumped (see ``Pseudonymiser``).
///
/// Each column's length is read from its declared type (`varchar(25)`, `char(32)`): a pseudonym is made
/// to fit it, and a kind that cannot fit (an e-mail in 10 characters) is refused before any row is read.
/// A unique column (primary key, UNIQUE, or a unique index of that column alone) has its pseudonyms
/// remembered, by digest of the original, for the table's pass: two different values getting one
/// pseudonym are refused, never merged. That is the one memory that grows with the rows, a few dozen
/// bytes per value of such a column (a login per user).
public struct TableAnonymiser {
    public let table: String
    private let pseudonymiser: Pseudonymiser
    private let columns: [Column]
    private let width: Int
    /// By unique column: pseudonym → SHA-256 of the original value.
    private var seen: [Int: [SQLValue: SHA256.Digest]] = [:]

    private struct Column {
        var index: Int
        var name: String
        var kind: PersonalDataKind
        var maxLength: Int?
        var unique: Bool
    }

    /// `nil` when `table` has no personal-data column in `personalData`.
    public init?(
        table: TableSchema, columns names: [String], personalData: [String: PersonalDataKind],
        pseudonymiser: Pseudonymiser
    ) throws(AnonymisationError) {
        var columns: [Column] = []
        let unique = Self.uniqueColumns(of: table)
        for (index, name) in names.enumerated() {
            guard let kind = personalData[name] else { continue }
            let declared = table.columns.first { $0.name == name }?.declaredType ?? ""
            let maxLength = Self.maximumLength(declaredType: declared)
            let needed = Pseudonymiser.minimumLength(of: kind)
            if let maxLength, maxLength < needed {
                throw .columnTooShort(table: table.name, column: name, kind: kind, length: maxLength, needed: needed)
            }
            columns.append(
                Column(index: index, name: name, kind: kind, maxLength: maxLength, unique: unique.contains(name)))
        }
        guard !columns.isEmpty else { return nil }
        self.table = table.name
        self.columns = columns
        self.width = names.count
        self.pseudonymiser = pseudonymiser
    }

    /// `row` with its personal data replaced; valid during the caller's row call, like `row` itself.
    mutating func anonymise(_ row: any RawRow) throws(AnonymisationError) -> AnonymisedRow {
        var replaced = [AnonymisedRow.Replacement?](repeating: nil, count: width)
        for column in columns {
            let original = row.value(at: column.index)
            let pseudonym = pseudonymiser.replacement(
                for: original, kind: column.kind, maxLength: column.maxLength)
            if column.unique, pseudonym != .null {
                let digest = SHA256.hash(data: Data(String(describing: Self.tagged(original)).utf8))
                if let earlier = seen[column.index, default: [:]][pseudonym], earlier != digest {
                    throw .collision(table: table, column: column.name)
                }
                seen[column.index, default: [:]][pseudonym] = digest
            }
            replaced[column.index] = AnonymisedRow.Replacement(pseudonym)
        }
        return AnonymisedRow(base: row, replaced: replaced)
    }

    /// The value with its type, so that the text "1" and the integer 1 are told apart.
    private static func tagged(_ value: SQLValue) -> String {
        switch value {
        case .null: return "n"
        case .integer(let number): return "i\(number)"
        case .real(let number): return "r\(number.bitPattern)"
        case .text(let text): return "t" + text
        case .blob(let data): return "b" + data.base64EncodedString()
        }
    }

    /// Columns whose values must stay distinct on their own.
    static func uniqueColumns(of table: TableSchema) -> Set<String> {
        var unique = Set<String>()
        for column in table.columns where column.constraints.contains(where: { $0.kind == .unique }) {
            unique.insert(column.name)
        }
        if table.primaryKey.count == 1 { unique.insert(table.primaryKey[0]) }
        for constraint in table.constraints where constraint.kind == .unique && constraint.columns.count == 1 {
            unique.insert(constraint.columns[0])
        }
        for index in table.indexes where index.unique && index.terms.count == 1 {
            if let column = index.columns.first { unique.insert(column) }
        }
        return unique
    }

    /// `n` of `varchar(n)`, `char(n)`, `character varying(n)`…: how many characters the column holds.
    static func maximumLength(declaredType: String) -> Int? {
        let lower = declaredType.lowercased()
        guard lower.contains("char"), let open = lower.firstIndex(of: "("),
            let close = lower[open...].firstIndex(of: ")")
        else {
            // MySQL's TINYTEXT holds 255 bytes; pseudonyms are ASCII save free text's sentence.
            return lower.hasPrefix("tinytext") ? 255 : nil
        }
        // SQLite keeps any declared type as written: `varchar(-5)` or a number past Int says nothing.
        guard let length = Int(lower[lower.index(after: open)..<close].trimmingCharacters(in: .whitespaces)),
            length >= 0
        else { return nil }
        return length
    }
}
