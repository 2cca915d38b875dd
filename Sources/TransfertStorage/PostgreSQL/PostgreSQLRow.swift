import Foundation
import TransfertFormats
import TransfertModel

/// One row of a streamed query (``PostgreSQLConnection/forEachRow(_:_:_:)``), its values decoded from the
/// bytes the server sent (``PostgreSQLValues/value(of:server:)`` says how each type reads). A ``RawRow``,
/// so that digests and dump encoders written once for raw rows read it too.
package struct PostgreSQLRow: RawRow {
    private let row: SQLValueRow

    init(values: [SQLValue]) {
        row = SQLValueRow(values: values)
    }

    package var values: [SQLValue] { row.values }
    package var count: Int { row.count }
    package func value(at index: Int) -> SQLValue { row.values[index] }
    package func kind(at index: Int) -> SQLValueKind { row.kind(at: index) }
    package func integer(at index: Int) -> Int64 { row.integer(at: index) }
    package func real(at index: Int) -> Double { row.real(at: index) }
    package func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try row.withBytes(at: index, body)
    }
}
