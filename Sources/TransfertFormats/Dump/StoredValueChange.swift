import Foundation

/// How the engine would store a value differently from the way it was parsed (``StoredValueCheck``).
enum StoredValueChange: Equatable {
    case textToNumber
    case numberToText
    case integerToReal
    case realToInteger(Int64)
    /// Bytes bound to a number column: read as a number's text, or refused.
    case blobToNumber
    /// A typed engine rounds a real bound to an integer column to the nearest integer.
    case realRounded
    /// Bytes bound to a text column come back as text.
    case blobToText
    /// Text or a number bound to a blob column comes back as bytes.
    case toBlob
    /// Longer than a bounded type holds (named): cut, or refused by strict mode.
    case tooLong(String)
    /// An infinity, which MariaDB's DOUBLE cannot hold.
    case notFinite

    /// "as a number", "as the integer 2"…, for the refusal.
    var stored: String {
        switch self {
        case .textToNumber: return "as a number (an integer or a real), not as text"
        case .numberToText: return "as text, not as a number"
        case .integerToReal: return "as a real, not as an integer"
        case .realToInteger(let value): return "as the integer \(value), not as a real"
        case .blobToNumber: return "as a number, not as a blob"
        case .realRounded: return "as an integer (rounded), not as a real"
        case .blobToText: return "as text, not as a blob"
        case .toBlob: return "as a blob, not as it was written"
        case .tooLong(let type): return "cut short or not at all: it is longer than \(type) holds"
        case .notFinite: return "not at all: the type has no infinity"
        }
    }
}
