import Foundation
import TransfertModel

/// One row of a ``RowBatch``, read in place.
struct BatchRow: RawRow {
    let values: UnsafeBufferPointer<RowBatch.Value>
    let bytes: UnsafeRawBufferPointer
    var start: Int
    let count: Int

    /// The batch's arrays are released only once every row of it was inserted.
    static var bytesOutliveTheCall: Bool { true }

    func kind(at index: Int) -> SQLValueKind { values[start + index].kind }
    func integer(at index: Int) -> Int64 { Int64(bitPattern: values[start + index].payload) }
    func real(at index: Int) -> Double { Double(bitPattern: values[start + index].payload) }

    func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let value = values[start + index]
        let offset = Int(value.payload)
        return try body(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + Int(value.length)]))
    }
}
