import Foundation
import TransfertModel

/// Consecutive rows of one INSERT in a ``RowBatch``.
struct BatchRows: RandomAccessCollection {
    let values: UnsafeBufferPointer<RowBatch.Value>
    let bytes: UnsafeRawBufferPointer
    let firstValue: Int
    let count: Int
    let width: Int

    var startIndex: Int { 0 }
    var endIndex: Int { count }
    subscript(position: Int) -> BatchRow {
        BatchRow(values: values, bytes: bytes, start: firstValue + position * width, count: width)
    }
}
