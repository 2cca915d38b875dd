import Foundation
import Testing
import TransfertTestSupport

@testable import TransfertFormats
@testable import TransfertModel
@testable import TransfertStorage

/// The export's reads through a server-side cursor: every row once, in order, over many fetches sized by
/// the rows' width; a body that throws leaves the cursor closed, so the next table reads in the same
/// transaction.
@Suite("PostgreSQL cursor")
struct PostgreSQLCursorTests {
    @Test func fetchesAreSizedByTheWidthOfTheRows() {
        #expect(PostgreSQLCursor.rowsPerFetch(afterRowsOf: 0) == PostgreSQLCursor.maximumRowsPerFetch)
        #expect(PostgreSQLCursor.rowsPerFetch(afterRowsOf: 100) == PostgreSQLCursor.maximumRowsPerFetch)
        #expect(PostgreSQLCursor.rowsPerFetch(afterRowsOf: 64 << 10) == PostgreSQLCursor.bytesPerFetch / (64 << 10))
        #expect(PostgreSQLCursor.rowsPerFetch(afterRowsOf: 1 << 30) == 1)
    }

    @Test func everyRowComesOnceInOrderAndAThrowingBodyClosesTheCursor() throws {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let connection = try PostgreSQLConnection(settings)
        try connection.execute(
            "CREATE TABLE t AS SELECT i, repeat('x', CASE WHEN i % 1000 = 0 THEN 100000 ELSE 10 END) AS w FROM generate_series(1, 5003) AS i"
        )
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        let cursor = PostgreSQLCursor(connection: connection)
        struct Enough: Error {}
        #expect(throws: Enough.self) {
            try cursor.forEachRow("SELECT i FROM t ORDER BY i") { row in if row.integer(at: 0) == 150 { throw Enough() }
            }
        }
        var next: Int64 = 1
        try cursor.forEachRow("SELECT i, w FROM t ORDER BY i") { row in
            #expect(row.integer(at: 0) == next)
            next += 1
        }
        #expect(next == 5004)
        try connection.execute("COMMIT")
    }
}
