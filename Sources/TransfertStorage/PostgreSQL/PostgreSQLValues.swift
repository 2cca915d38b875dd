import Foundation
import NIOCore
import PostgresNIO
import TransfertFormats
import TransfertModel

/// Neutral values to PostgreSQL parameters and back: the one place that knows which PostgreSQL type each
/// ``SQLValue`` travels as, so that nothing is narrowed or widened on the way.
enum PostgreSQLValues {
    /// `values` as `$1…` parameters: integer as `int8`, real as `float8` (infinities and NaN kept), text as
    /// `text`, blob as `bytea`, NULL untyped (the server infers it from where it goes).
    ///
    /// A NUL in a text value is refused: PostgreSQL's text cannot hold it, and the server would otherwise
    /// report an encoding error that names neither the value nor the cure.
    static func bindings(_ values: [SQLValue], server: String, statement: String) throws(PostgreSQLError)
        -> PostgresBindings
    {
        var bindings = PostgresBindings(capacity: values.count)
        for (index, value) in values.enumerated() {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let number): bindings.append(number)
            case .real(let number): bindings.append(number)
            case .text(let text):
                guard !text.utf8.contains(0) else {
                    throw nulInText(server: server, what: "parameter $\(index + 1)", statement: statement)
                }
                bindings.append(text)
            case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            }
        }
        return bindings
    }

    /// The refusal of a text holding U+0000, which no PostgreSQL text column can store.
    static func nulInText(server: String, what: String, statement: String?) -> PostgreSQLError {
        PostgreSQLError(
            server: server, sqlState: PostgreSQLError.State.characterNotInRepertoire,
            message:
                "\(what) is a text holding the character NUL (U+0000), which PostgreSQL's text type cannot store; nothing was written. Store such a value as a blob (bytea), or remove the NUL from it at its source",
            statement: statement)
    }

    /// The value of one cell, as PostgreSQL sent it (binary format): every integer type as integer, float
    /// types as real, character types as text, `bytea` as blob, `bool` as 0/1, `numeric` as integer when it
    /// is a whole number within 64 bits and as its exact decimal text otherwise.
    static func value(of cell: PostgresCell, server: String) throws(PostgreSQLError) -> SQLValue {
        guard var bytes = cell.bytes else { return .null }
        do {
            switch cell.dataType {
            case .int8, .int4, .int2: return .integer(try cell.decode(Int64.self))
            case .float8, .float4: return .real(try cell.decode(Double.self))
            case .text, .varchar, .bpchar, .name, .unknown:
                return .text(bytes.readString(length: bytes.readableBytes) ?? "")
            case .bytea: return .blob(bytes.readData(length: bytes.readableBytes) ?? Data())
            case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
            case .oid: return .integer(Int64(bytes.readInteger(as: UInt32.self) ?? 0))
            case .numeric:
                guard let text = PostgreSQLNumeric.text(from: bytes) else { throw unreadable(cell, server: server) }
                return Int64(text).map(SQLValue.integer) ?? .text(text)
            default: throw unreadable(cell, server: server)
            }
        } catch let error as PostgreSQLError {
            throw error
        } catch {
            throw unreadable(cell, server: server)
        }
    }

    private static func unreadable(_ cell: PostgresCell, server: String) -> PostgreSQLError {
        PostgreSQLError(
            server: server, sqlState: "0A000",
            message:
                "column \(cell.columnName) is of PostgreSQL type \(cell.dataType) (OID \(cell.dataType.rawValue)), which Transfert does not read as it is: cast it (to text, bigint, double precision or bytea) in the query"
        )
    }
}
