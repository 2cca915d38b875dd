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
    /// What the bundle carries, as its manifest records it (`nil`: the profile declares no categories and
    /// nothing was asked: everything).
    public var content: ContentSelection?
    /// The categories left out because of a reference, not because they were asked: what the operator
    /// must be told ("grades left out too: grades.student_id points at users (users)").
    public var leftOutToo: [ContentSelection.LeftOut] = []

    enum CodingKeys: String, CodingKey {
        case csv, zip, establishments
        case keptLocked = "kept_locked"
        case warnings, content
        case leftOutToo = "left_out_too"
    }
}
