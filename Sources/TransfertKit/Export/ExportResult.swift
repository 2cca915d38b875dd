import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

public struct ExportResult: Sendable, Codable {
    public var csv: URL
    public var zip: URL
    public var establishments: [ExportedEstablishment]
    public var keptLocked: Bool
    /// What the bundle is fine without but the operator must know (a journal line that could not be
    /// written: `confirm` will not know this export).
    public var warnings: [String] = []

    enum CodingKeys: String, CodingKey {
        case csv, zip, establishments
        case keptLocked = "kept_locked"
        case warnings
    }
}
