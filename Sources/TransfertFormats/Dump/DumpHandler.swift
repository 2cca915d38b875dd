import Foundation
import TransfertModel

/// What the parser hands on, statement by statement.
public protocol DumpHandler {
    mutating func createTable(_ table: TableSchema) throws
    /// Starts a multi-row INSERT; the rows follow through ``insertRow(_:)``.
    mutating func startInsert(into table: TableSchema, columns: [String]) throws
    /// One row of the current INSERT, valid during the call only.
    mutating func insertRow(_ row: some RawRow) throws
    /// Consecutive rows of the current INSERT; by default, one ``insertRow(_:)`` each.
    mutating func insertRows<Rows: RandomAccessCollection>(_ rows: Rows) throws where Rows.Element: RawRow
    mutating func createIndex(_ index: IndexSchema, on table: TableSchema) throws
    /// A view. A restore creates views and triggers after every row, wherever the dump declares them,
    /// so that no restored row fires a trigger.
    mutating func createView(_ view: ViewSchema) throws
    mutating func createTrigger(_ trigger: TriggerSchema) throws
}

extension DumpHandler {
    public mutating func insertRows<Rows: RandomAccessCollection>(_ rows: Rows) throws where Rows.Element: RawRow {
        for row in rows { try insertRow(row) }
    }
}
