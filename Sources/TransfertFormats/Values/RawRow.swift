import Foundation
import TransfertModel

/// One row as the backend holds it, read value by value without building ``SQLValue``s.
public protocol RawRow {
    var count: Int { get }
    func kind(at index: Int) -> SQLValueKind
    func integer(at index: Int) -> Int64
    func real(at index: Int) -> Double
    /// The UTF-8 bytes of a text value or the bytes of a blob, valid during `body` only.
    func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
    /// `true` when the buffers `withBytes` hands out stay valid as long as the rows themselves (rows held in
    /// a batch), so a backend may bind them without copying. `false` by default.
    static var bytesOutliveTheCall: Bool { get }
}

extension RawRow {
    public static var bytesOutliveTheCall: Bool { false }
}

extension RawRow {
    /// The value at `index` as a neutral value (copies text and blobs).
    public func value(at index: Int) -> SQLValue {
        switch kind(at: index) {
        case .null: return .null
        case .integer: return .integer(integer(at: index))
        case .real: return .real(real(at: index))
        case .text: return .text(withBytes(at: index) { String(decoding: $0, as: UTF8.self) })
        case .blob: return .blob(withBytes(at: index) { Data($0) })
        }
    }
}
