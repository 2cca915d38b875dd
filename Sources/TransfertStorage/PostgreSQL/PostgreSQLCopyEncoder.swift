import Foundation
import TransfertFormats
import TransfertModel

/// Writes rows in the text format of `COPY … FROM STDIN` (tab between values, newline after each row):
/// `\N` for NULL, integers in decimal, reals in the shortest decimal that reads back to the same double
/// (`Infinity`, `-Infinity`: PostgreSQL keeps them), text with `\`, tab, newline and CR escaped, blobs as
/// `\\x` and hexadecimal (bytea's input form, its backslash escaped for COPY).
///
/// A value goes into a column the way SQLite would store it there (its type affinity), so that a table
/// restored here digests as it does on SQLite: an integer in a REAL column becomes a real, a real that is
/// an exact integer in an INTEGER column becomes an integer, an integer in a TEXT column its decimal text.
/// What one PostgreSQL type cannot keep as SQLite would — a text or a fractional real in an INTEGER
/// column, anything but a blob in a BLOB column, a real or a blob in a TEXT column, text holding NUL or
/// bytes that are not UTF-8 — is refused with the table, column and row named (``PostgreSQLCopyError``),
/// never changed.
struct PostgreSQLCopyEncoder {
    let table: String
    let columns: [String]
    /// Each column's neutral type, from the column's PostgreSQL type.
    let types: [NeutralType]
    private(set) var bytes: [UInt8] = []
    /// Rows encoded so far, for messages.
    private(set) var rows: Int64 = 0

    private static let hex = Array("0123456789abcdef".utf8)

    init(table: String, columns: [String], types: [NeutralType]) {
        self.table = table
        self.columns = columns
        self.types = types
    }

    /// Forgets the bytes handed over (the row count goes on).
    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    mutating func append(_ row: some RawRow) throws(PostgreSQLCopyError) {
        rows += 1
        guard row.count == columns.count else {
            throw PostgreSQLCopyError(
                table: table, column: nil, row: rows,
                reason: "the row has \(row.count) values for \(columns.count) columns")
        }
        for index in 0..<row.count {
            if index > 0 { bytes.append(0x09) }
            try append(row, at: index)
        }
        bytes.append(0x0A)
    }

    private mutating func append(_ row: some RawRow, at index: Int) throws(PostgreSQLCopyError) {
        let type = types[index]
        let kind = row.kind(at: index)
        let (table, column, number) = (table, columns[index], rows)  // copied: `self` is being appended to
        func refuse(_ reason: String) -> PostgreSQLCopyError {
            PostgreSQLCopyError(table: table, column: column, row: number, reason: reason)
        }
        switch (kind, type) {
        case (.null, _):
            bytes.append(contentsOf: [0x5C, 0x4E])  // \N
        case (.integer, .integer), (.integer, .text):
            bytes.append(contentsOf: String(row.integer(at: index)).utf8)
        case (.integer, .real):
            appendReal(Double(row.integer(at: index)))  // SQLite's REAL affinity makes it a real too
        case (.real, .real):
            let value = row.real(at: index)
            guard !value.isNaN else { throw refuse("NaN is no value SQL keeps (SQLite stores it as NULL)") }
            appendReal(value)
        case (.real, .integer):
            let value = row.real(at: index)
            guard let integer = Int64(exactly: value) else {
                throw refuse(
                    "the real \(value) has no exact integer, and a PostgreSQL bigint column keeps integers only (SQLite keeps it as a real there)"
                )
            }
            bytes.append(contentsOf: String(integer).utf8)  // SQLite's INTEGER affinity makes it an integer too
        case (.text, .text):
            // `withBytes` rethrows untyped: the refusal is carried out of it by value.
            let refusal = row.withBytes(at: index) { value in appendText(value, refuse) }
            if let refusal { throw refusal }
        case (.blob, .blob):
            row.withBytes(at: index) { value in
                bytes.append(contentsOf: [0x5C, 0x5C, 0x78])  // \\x
                bytes.reserveCapacity(bytes.count + value.count * 2 + 1)
                for byte in value {
                    bytes.append(Self.hex[Int(byte >> 4)])
                    bytes.append(Self.hex[Int(byte & 0x0F)])
                }
            }
        default:
            throw refuse(
                "a \(Self.name(kind)) value cannot be kept in a \(type.rawValue) column on PostgreSQL (SQLite keeps its type per value; PostgreSQL's \(Self.postgresType(type)) holds \(Self.name(type)) values only)"
            )
        }
    }

    private mutating func appendReal(_ value: Double) {
        if value.isInfinite {
            bytes.append(contentsOf: (value < 0 ? "-Infinity" : "Infinity").utf8)
        } else {
            // Swift prints the shortest decimal that reads back to the same bits; PostgreSQL reads it exactly.
            bytes.append(contentsOf: "\(value)".utf8)
        }
    }

    /// Appends the text's escaped bytes; returns the refusal instead when PostgreSQL cannot hold it.
    private mutating func appendText(
        _ value: UnsafeRawBufferPointer, _ refuse: (String) -> PostgreSQLCopyError
    ) -> PostgreSQLCopyError? {
        var ascii = true
        for byte in value {
            switch byte {
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            case 0x00:
                return refuse("the text holds a NUL character, which PostgreSQL's text cannot hold")
            default:
                if byte >= 0x80 { ascii = false }
                bytes.append(byte)
            }
        }
        if !ascii, String(validating: value, as: UTF8.self) == nil {
            return refuse("the text is not valid UTF-8, which PostgreSQL's text requires")
        }
        return nil
    }

    private static func name(_ kind: SQLValueKind) -> String {
        switch kind {
        case .null: return "NULL"
        case .integer: return "integer"
        case .real: return "real"
        case .text: return "text"
        case .blob: return "blob"
        }
    }

    private static func name(_ type: NeutralType) -> String {
        switch type {
        case .integer: return "integer"
        case .real: return "real"
        case .text: return "text"
        case .blob: return "blob"
        case .numeric: return "numeric"
        }
    }

    static func postgresType(_ type: NeutralType) -> String {
        switch type {
        case .integer: return "bigint"
        case .real: return "double precision"
        case .text: return "text"
        case .blob: return "bytea"
        case .numeric: return "numeric"
        }
    }
}
