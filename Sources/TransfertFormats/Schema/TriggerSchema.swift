import Foundation
import TransfertModel

/// A trigger: its name, its table, and its definition after the name (`AFTER INSERT ON "t" … BEGIN … END`)
/// in canonical SQL text. Trigger bodies are engine SQL: a backend that cannot run a trigger written for
/// another engine refuses it by name rather than dropping it.
public struct TriggerSchema: Codable, Equatable, Sendable {
    public var name: String
    public var table: String
    public var definition: String

    public init(name: String, table: String, definition: String) {
        self.name = name
        self.table = table
        self.definition = definition
    }
}
