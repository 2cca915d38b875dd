import Foundation
import TransfertFormats
import TransfertModel

/// Writes rows in the tab-separated form `LOAD DATA … FIELDS TERMINATED BY '\t' ESCAPED BY '\\'
/// LINES TERMINATED BY '\n'` reads: `\N` for NULL, integers in decimal, reals in the shortest decimal that
/// reads back to the same double, text and blob bytes as they are with `\`, tab, newline, CR and NUL
/// escaped. Infinities have no MariaDB value: refused.
struct LoadDataEncoder {
    private(set) var bytes: [UInt8] = []

    mutating func append(_ row: some RawRow) throws {
        for index in 0..<row.count {
            if index > 0 { bytes.append(0x09) }
            switch row.kind(at: index) {
            case .null: bytes.append(contentsOf: [0x5C, 0x4E])  // \\N
            case .integer: bytes.append(contentsOf: String(row.integer(at: index)).utf8)
            case .real:
                let value = row.real(at: index)
                guard value.isFinite else { throw LoadDataError.infinite }
                bytes.append(contentsOf: "\(value)".utf8)
            case .text, .blob:
                row.withBytes(at: index) { value in
                    for byte in value {
                        switch byte {
                        case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                        case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
                        case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
                        case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
                        case 0x00: bytes.append(contentsOf: [0x5C, 0x30])
                        default: bytes.append(byte)
                        }
                    }
                }
            }
        }
        bytes.append(0x0A)
    }
}

enum LoadDataError: Error, CustomStringConvertible {
    case infinite
    var description: String { "an infinite real cannot be stored in MariaDB (its DOUBLE has no infinity)" }
}

extension LoadDataError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    var problemCode: ProblemCode {
        switch self {
        case .infinite: return .loadDataInfinite
        }
    }
}
