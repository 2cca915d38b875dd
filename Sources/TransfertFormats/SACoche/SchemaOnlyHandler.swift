import Foundation
import TransfertModel

/// A ``DumpHandler`` that keeps nothing: the parse alone checks every statement and value, and the
/// parser counts the rows (`verify` without a database, `inspect`, import planning).
public struct SchemaOnlyHandler: DumpHandler {
    public init() {}
    public mutating func createTable(_ table: TableSchema) throws {}
    public mutating func startInsert(into table: TableSchema, columns: [String]) throws {}
    public mutating func insertRow(_ row: some RawRow) throws {}
    public mutating func insertRows<Rows: RandomAccessCollection>(_ rows: Rows) throws where Rows.Element: RawRow {}
    public mutating func createIndex(_ index: IndexSchema, on table: TableSchema) throws {}
    public mutating func createView(_ view: ViewSchema) throws {}
    public mutating func createTrigger(_ trigger: TriggerSchema) throws {}
}
