import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Which establishments an export takes.
public enum ExportSelection: Sendable, Equatable {
    case ids([Int64])
    case all
    case zone(Int64)
}
