import Foundation
import TransfertModel

/// Restores a parsed dump into an establishment database through the backend: tables are created from
/// their *parsed* definitions (the backend writes its own DDL, never the dump's text), rows are bound as
/// parameters to statements prepared once per table and column list, indexes come after the data, and
/// views and triggers after every row (``finish()``), so that no restored row fires a trigger.
///
/// Tables in `leavingOut` (the content categories a restore was asked to leave out, with the ones that
/// depend on them) are created, but their rows are passed over: they are still parsed, so the dump is
/// checked whole.
public struct DumpRestorer: DumpHandler {
    private let writer: any EstablishmentWriter
    private let leavingOut: Set<String>
    /// The current table's rows are passed over.
    private var skipping = false
    private var inserters: [String: any RowInserter] = [:]
    private var current: (any RowInserter)?
    private var currentTable = ""
    /// Rows of `currentTable` not yet added to `rowCounts` (no dictionary update per row).
    private var pendingRows: Int64 = 0
    private var counts: [String: Int64] = [:]
    private var views: [ViewSchema] = []
    private var triggers: [TriggerSchema] = []

    /// Rows inserted per table.
    public var rowCounts: [String: Int64] {
        var result = counts
        if pendingRows > 0 { result[currentTable, default: 0] += pendingRows }
        return result
    }

    public init(writer: any EstablishmentWriter, leavingOut: Set<String> = []) {
        self.writer = writer
        self.leavingOut = leavingOut
    }

    public mutating func createTable(_ table: TableSchema) throws {
        try writer.createTable(table)
        counts[table.name] = 0
    }

    public mutating func startInsert(into table: TableSchema, columns: [String]) throws {
        settleCount()
        skipping = leavingOut.contains(table.name)
        currentTable = table.name
        if skipping { return }
        let key = table.name + "\u{0}" + columns.joined(separator: "\u{0}")
        if let inserter = inserters[key] {
            current = inserter
        } else {
            let inserter = try writer.makeInserter(table: table.name, columns: columns)
            inserters[key] = inserter
            current = inserter
        }
    }

    public mutating func insertRow(_ row: some RawRow) throws {
        if skipping { return }
        try current!.insert(row: row)
        pendingRows += 1
    }

    public mutating func insertRows<Rows: RandomAccessCollection>(_ rows: Rows) throws where Rows.Element: RawRow {
        if skipping { return }
        try current!.insert(rows: rows)
        pendingRows += Int64(rows.count)
    }

    private mutating func settleCount() {
        if pendingRows > 0 { counts[currentTable, default: 0] += pendingRows }
        pendingRows = 0
    }

    public mutating func createIndex(_ index: IndexSchema, on table: TableSchema) throws {
        try writer.createIndex(index, on: table.name)
    }

    public mutating func createView(_ view: ViewSchema) throws {
        views.append(view)
    }

    public mutating func createTrigger(_ trigger: TriggerSchema) throws {
        triggers.append(trigger)
    }

    /// Builds the keys and indexes the backend held back, then creates the views and triggers, once every
    /// row is in.
    public mutating func finish() throws {
        try writer.finishLoad()
        for view in views { try writer.createView(view) }
        for trigger in triggers { try writer.createTrigger(trigger) }
        views = []
        triggers = []
    }
}
