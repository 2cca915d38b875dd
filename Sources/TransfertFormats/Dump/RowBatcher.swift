import Foundation
import TransfertModel

/// The parsing side of a pipelined restore: records what the parser reads into ``RowBatch``es, sends
/// each full one, and digests every table's rows as they pass (see ``StreamedDigests``).
struct RowBatcher: DumpHandler {
    private let send: (RowBatch) -> Bool
    private var batch = RowBatch()
    var digests = StreamedDigests()
    /// `false` once the consumer gave up: parsing stops at the next row.
    private(set) var consumerStopped = false

    init(send: @escaping (RowBatch) -> Bool) {
        self.send = send
    }

    mutating func createTable(_ table: TableSchema) throws {
        batch.append(.createTable(table))
        digests.start(table)
    }

    mutating func startInsert(into table: TableSchema, columns: [String]) throws {
        batch.append(.startInsert(table, columns: columns))
        digests.insert(into: table, columns: columns)
    }

    mutating func insertRow(_ row: some RawRow) throws {
        batch.append(row: row)
        digests.add(row)
        if batch.approximateSize >= RowBatch.targetBytes { try flush() }
    }

    mutating func createIndex(_ index: IndexSchema, on table: TableSchema) throws {
        batch.append(.createIndex(index, on: table))
    }

    mutating func createView(_ view: ViewSchema) throws {
        batch.append(.createView(view))
    }

    mutating func createTrigger(_ trigger: TriggerSchema) throws {
        batch.append(.createTrigger(trigger))
    }

    /// Sends what is pending. Throws ``ConsumerStopped`` when the database side gave up.
    mutating func flush() throws {
        guard !batch.isEmpty else { return }
        let full = batch
        batch = RowBatch()
        if !send(full) {
            consumerStopped = true
            throw ConsumerStopped()
        }
    }

    struct ConsumerStopped: Error {}
}
