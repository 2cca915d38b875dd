import Foundation
import TransfertFormats
import TransfertModel

/// One `LOAD DATA LOCAL INFILE` kept open for all of a table's rows, however many batches the restore
/// sends them in: the statement runs on a thread of its own, and its local-infile source takes each
/// batch's bytes as they are handed over (``send(_:)``), until ``finish()``.
///
/// Why one statement: InnoDB's bulk insert into an empty table (MariaDB ≥ 10.6, with `unique_checks`
/// and `foreign_key_checks` off) lasts one statement; the next one on the same table inserts row by row,
/// with undo logging. A 2,000-student establishment's grades came in about 1,700 batches, i.e.
/// 1,700 statements; as one, the server's load of that table took about a quarter less time.
///
/// The connection is the writer's: while the load is open nothing else runs on it (the writer ends the
/// load before any other statement, ``InsertionBuffer``), and the caller waits for the thread to end.
/// Memory stays bounded: at most ``capacity`` batches wait for the server.
final class MariaDBStreamedLoad: @unchecked Sendable {
    static let capacity = 4
    let table: String
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    /// No more rows: the source says end once the chunks are served.
    private var closed = false
    /// Given up: the source says abort, the statement fails.
    private var abandoned = false
    /// The statement returned (its outcome is set).
    private var ended = false
    private var outcome: (any Error)?

    init(connection: MariaDBConnection, table: String, columns: [String]) {
        self.table = table
        // The connection is used by this thread alone until it ends (see above).
        let handed = HandedConnection(connection: connection)
        let thread = Thread { [self] in
            var failure: (any Error)?
            do {
                try handed.connection.loadData(into: table, columns: columns) { self.next() }
            } catch {
                failure = error
            }
            condition.lock()
            outcome = failure
            ended = true
            condition.broadcast()
            condition.unlock()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// The source's next chunk, waiting for one to be sent.
    private func next() -> LocalInfileChunk {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !closed && !abandoned { condition.wait() }
        if abandoned { return .abort }
        if chunks.isEmpty { return .end }
        let chunk = chunks.removeFirst()
        condition.broadcast()
        return .bytes(chunk)
    }

    /// Hands rows (in ``LoadDataEncoder``'s form) to the statement, waiting while ``capacity`` batches
    /// are queued. Throws the statement's error if it already ended (the connection was lost).
    func send(_ bytes: [UInt8]) throws {
        condition.lock()
        while chunks.count >= Self.capacity && !ended { condition.wait() }
        if ended {
            let error = outcome
            condition.unlock()
            throw error
                ?? MariaDBError(
                    server: "", code: 2027, sqlState: "HY000", message: "the load of \(table) ended before its last row"
                )
        }
        chunks.append(bytes)
        condition.broadcast()
        condition.unlock()
    }

    /// No more rows: waits for the statement to end and throws its error (a warning included).
    func finish() throws {
        condition.lock()
        closed = true
        condition.broadcast()
        while !ended { condition.wait() }
        let error = outcome
        condition.unlock()
        if let error { throw error }
    }

    /// Gives the load up (the restore failed elsewhere): the statement fails, and the connection is free
    /// again when this returns.
    func abandon() {
        condition.lock()
        abandoned = true
        condition.broadcast()
        while !ended { condition.wait() }
        condition.unlock()
    }
}

/// The writer's connection, lent to the load's thread while the writer does not use it.
private struct HandedConnection: @unchecked Sendable {
    let connection: MariaDBConnection
}
