import Foundation
import TransfertModel

/// The storage class of a value, as a backend reports it before the value is read.
public enum SQLValueKind: Sendable {
    case null, integer, real, text, blob
}
