import Foundation
import TransfertModel

/// Something a bundle says it did not carry (version-1 bundles list the constraints they left out; any
/// bundle lists uploads it could not take, such as symbolic links).
public struct SchemaNote: Codable, Equatable, Sendable, CustomStringConvertible {
    public var table: String
    public var note: String
    public var description: String { "\(table): \(note)" }

    public init(table: String, note: String) {
        self.table = table
        self.note = note
    }
}
