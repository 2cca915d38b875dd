import Foundation
import TransfertModel

/// A view: its name, the column names it declares (often none) and its `SELECT`, in canonical SQL text.
public struct ViewSchema: Codable, Equatable, Sendable {
    public var name: String
    public var columns: [String]
    public var select: String

    public init(name: String, columns: [String] = [], select: String) {
        self.name = name
        self.columns = columns
        self.select = select
    }
}
