import Foundation
import TransfertModel

/// The text encoding a CSV manifest was found in.
public enum CSVEncoding: String, Codable, Sendable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 with BOM"
    case utf16 = "UTF-16"
    case windows1252 = "Windows-1252"
}
