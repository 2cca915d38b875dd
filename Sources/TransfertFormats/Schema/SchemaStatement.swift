import Foundation
import TransfertModel

/// One parsed DDL statement of a schema or a dump.
public enum SchemaStatement: Equatable, Sendable {
    case table(TableSchema)
    case index(IndexSchema, table: String)
    case view(ViewSchema)
    case trigger(TriggerSchema)
}
