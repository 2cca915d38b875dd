import Foundation

public struct ExportResult: Sendable, Codable {
    public var csv: URL
    public var zip: URL
    public var establishments: [ExportedEstablishment]
    public var keptLocked: Bool

    enum CodingKeys: String, CodingKey { case csv, zip, establishments, keptLocked = "kept_locked" }
}
