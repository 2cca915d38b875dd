import Foundation
import TransfertModel

/// A row read from the database with its personal-data values replaced: the dump writes it and digests
/// it like any other row, so the manifest's digests describe the anonymised rows.
///
/// The values not replaced are read from the backend's buffers as before (valid during the row's call).
struct AnonymisedRow: RawRow {
    let base: any RawRow
    /// By column index: the pseudonym, or `nil` to read the base row.
    let replaced: [Replacement?]

    enum Replacement {
        case null
        case integer(Int64)
        case real(Double)
        case text([UInt8])
        case blob([UInt8])

        init(_ value: SQLValue) {
            switch value {
            case .null: self = .null
            case .integer(let number): self = .integer(number)
            case .real(let number): self = .real(number)
            case .text(let text): self = .text(Array(text.utf8))
            case .blob(let data): self = .blob(Array(data))
            }
        }
    }

    var count: Int { base.count }

    func kind(at index: Int) -> SQLValueKind {
        switch replaced[index] {
        case nil: return base.kind(at: index)
        case .null: return .null
        case .integer: return .integer
        case .real: return .real
        case .text: return .text
        case .blob: return .blob
        }
    }

    func integer(at index: Int) -> Int64 {
        if case .integer(let number) = replaced[index] { return number }
        return base.integer(at: index)
    }

    func real(at index: Int) -> Double {
        if case .real(let number) = replaced[index] { return number }
        return base.real(at: index)
    }

    func withBytes<R>(at index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch replaced[index] {
        case .text(let bytes), .blob(let bytes): return try bytes.withUnsafeBytes(body)
        default: return try base.withBytes(at: index, body)
        }
    }
}
