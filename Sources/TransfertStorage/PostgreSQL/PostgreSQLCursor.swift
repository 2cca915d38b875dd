import Foundation
import TransfertFormats
import TransfertModel

/// Reads a large SELECT through a server-side cursor (`DECLARE … NO SCROLL CURSOR`, then `FETCH n` in a loop),
/// so that the rows in memory are bounded by construction, whatever the table's size or its rows' width.
///
/// Why not one streamed SELECT: PostgresNIO buffers up to 16,384 rows ahead of its consumer (its adaptive row
/// buffer doubles its target whenever the consumer drains it, and the limit is not settable), each row a slice
/// that keeps its receive buffer alive; at 20,000 students that alone took the export past 64 MiB. A `FETCH`
/// answer holds at most the rows it asked for, and the next is asked for only once they are read.
///
/// Needs a transaction (a cursor lives in one): the export's `REPEATABLE READ READ ONLY` one, whose snapshot
/// the cursor reads, as the SELECT did. The cursor is closed before this returns, also when `body` throws.
struct PostgreSQLCursor {
    let connection: PostgreSQLConnection
    /// The bytes one `FETCH` should bring, about: the next fetch asks for as many rows as fit, judged by the
    /// width of the rows the last one brought.
    static let bytesPerFetch = 2 << 20
    /// The rows one `FETCH` may bring at most (a round trip per 2,000 rows costs nothing measurable).
    static let maximumRowsPerFetch = 2000
    /// The rows of the first `FETCH`, before any width is known.
    static let firstRowsPerFetch = 100
    private static let name = "transfert_rows"

    func forEachRow(_ sql: String, _ body: (PostgreSQLRow) throws -> Void) throws {
        try connection.execute("DECLARE \(Self.name) NO SCROLL CURSOR FOR \(sql)")
        do {
            var asked = Self.firstRowsPerFetch
            while true {
                var rows = 0
                var bytes = 0
                try connection.forEachRow("FETCH FORWARD \(asked) FROM \(Self.name)", []) { row in
                    rows += 1
                    bytes += row.receivedBytes
                    try body(row)
                }
                if rows < asked { break }
                asked = Self.rowsPerFetch(afterRowsOf: bytes / rows)
            }
        } catch {
            // The next read declares the same name: the cursor is closed whatever happened (when the
            // transaction itself failed, CLOSE fails too, and the transaction's end drops the cursor).
            _ = try? connection.execute("CLOSE \(Self.name)")
            throw error
        }
        try connection.execute("CLOSE \(Self.name)")
    }

    /// As many rows as fit in ``bytesPerFetch`` at `rowBytes` a row, at least one, at most ``maximumRowsPerFetch``.
    static func rowsPerFetch(afterRowsOf rowBytes: Int) -> Int {
        min(maximumRowsPerFetch, max(1, bytesPerFetch / max(1, rowBytes)))
    }
}
