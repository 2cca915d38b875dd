import Foundation
import TransfertModel

public enum CSVSeparator: String, Codable, Sendable, CaseIterable {
    case semicolon = ";"
    case comma = ","
    case tab = "\t"

    var character: Unicode.Scalar { rawValue.unicodeScalars.first! }
    public var label: String { self == .tab ? "tab" : "'\(rawValue)'" }
}
