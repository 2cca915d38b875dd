import Foundation
import Testing
import TransfertTestSupport

@testable import TransfertFormats
@testable import TransfertModel
@testable import TransfertStorage

/// The synchronous client over PostgresNIO against a real cluster: values go and come back as they were,
/// large results stream in bounded memory, COPY carries text-format escapes, and every failure reads as a
/// person would act on it.
@Suite("PostgreSQL connection")
struct PostgreSQLConnectionTests {
    @Test func everyNeutralValueComesBackAsItWent() throws {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let connection = try PostgreSQLConnection(settings)
        try connection.execute("CREATE TABLE v (n bigint, r double precision, t text, b bytea)")
        let rows: [[SQLValue]] = [
            [.integer(.max), .real(.infinity), .text("Hélène Dupré — 東京 🏫"), .blob(Data([0, 1, 0xFF, 0x5C, 0x09]))],
            [.integer(.min), .real(-.infinity), .text(""), .blob(Data())],
            [.integer(0), .real(-0.1), .text("tab\there\nnew line \\ back'slash\"quote"), .null],
            [.null, .real(.leastNonzeroMagnitude), .null, .null],
        ]
        for row in rows { try connection.execute("INSERT INTO v VALUES ($1, $2, $3, $4)", row) }
        try connection.execute("INSERT INTO v (r) VALUES ($1)", [.real(.nan)])
        let back = try connection.query("SELECT n, r, t, b FROM v ORDER BY ctid")
        #expect(Array(back.prefix(4)) == rows)
        guard case .real(let nan) = back[4][1] else {
            Issue.record("NaN came back as \(back[4][1])")
            return
        }
        #expect(nan.isNaN)
    }

    @Test func otherTypesReadAsTheirNeutralValue() throws {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let connection = try PostgreSQLConnection(settings)
        let row = try #require(
            try connection.query(
                """
                SELECT 7::smallint, 8::integer, 1.5::real, true, false, 'x'::varchar(3), 'y'::char(2), 'z'::name,
                       12345678901234567890123::numeric, (-0.0500)::numeric(6,4), 'NaN'::numeric, 42::numeric,
                       'Infinity'::numeric, 0::numeric(4,2), 0.0001::numeric
                """
            ).first)
        #expect(
            row == [
                .integer(7), .integer(8), .real(1.5), .integer(1), .integer(0), .text("x"), .text("y "), .text("z"),
                .text("12345678901234567890123"), .text("-0.0500"), .text("NaN"), .integer(42), .text("Infinity"),
                .text("0.00"), .text("0.0001"),
            ])
    }

    @Test func aTypeWithoutANeutralReadingIsRefusedByName() throws {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let connection = try PostgreSQLConnection(settings)
        let error = try #require(throws: PostgreSQLError.self) { try connection.query("SELECT now() AS stamp") }
        #expect(error.description.contains("stamp"), "names the column: \(error)")
        #expect(error.description.contains("cast it"), "says what to do: \(error)")
        #expect(try connection.scalar("SELECT now()::text") != .null, "cast, it reads")
    }

    @Test func textHoldingNULIsRefusedNeverCutShort() throws {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let connection = try PostgreSQLConnection(settings)
        try connection.execute("CREATE TABLE t (v text)")
        let error = try #require(throws: PostgreSQLError.self) {
            try connection.execute("INSERT INTO t VALUES ($1)", [.text("before\u{0}after")])
        }
        #expect(error.sqlState == "22021")
        #expect(error.description.contains("NUL (U+0000)") && error.description.contains("parameter $1"), "\(error)")
        #expect(try connection.scalar("SELECT count(*) FROM t") == .integer(0), "nothing written")
        try connection.execute("INSERT INTO t VALUES ($1)", [.text("after")])
        #expect(try connection.scalar("SELECT v FROM t") == .text("after"), "the connection still serves")
    }

    @Test func rowsChangedAreCounted() throws {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let connection = try PostgreSQLConnection(settings)
        try connection.execute("CREATE TABLE t (v bigint)")
        #expect(try connection.execute("INSERT INTO t SELECT generate_series(1, 5)") == 5)
        #expect(try connection.execute("UPDATE t SET v = v + 1 WHERE v > $1", [.integer(2)]) == 3)
        #expect(try connection.execute("DELETE FROM t") == 5)
        #expect(try connection.scalar("SELECT v FROM t") == .null, "no row: null")
    }

    /// A million rows of 200 bytes (some 200 MB on the wire) pass through while the process's resident
    /// memory stays within a bound far below what holding them would take.
    @Test func aMillionRowsStreamInBoundedMemory() throws {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let connection = try PostgreSQLConnection(settings)
        let start = Self.residentBytes()
        var peak = start
        var count: Int64 = 0
        var sum: Int64 = 0
        try connection.forEachRow(
            "SELECT i, repeat('x', 200) FROM generate_series(1, $1::bigint) AS i", [.integer(1_000_000)]
        ) {
            row in
            count += 1
            sum += row.integer(at: 0)
            #expect(row.count == 2)
            if count % 50_000 == 0 { peak = max(peak, Self.residentBytes()) }
        }
        #expect(count == 1_000_000)
        #expect(sum == 500_000_500_000)
        #expect(peak - start < 100 << 20, "resident memory grew by \((peak - start) >> 20) MiB while streaming")
    }

    @Test func aBodyThatThrowsStopsTheStreamAndTheConnectionServesAgain() throws {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let connection = try PostgreSQLConnection(settings)
        struct Enough: Error {}
        var seen = 0
        #expect(throws: Enough.self) {
            try connection.forEachRow("SELECT generate_series(1, 5000000)", []) { _ in
                seen += 1
                if seen == 10 { throw Enough() }
            }
        }
        #expect(seen == 10)
        #expect(try connection.scalar("SELECT 41 + 1") == .integer(42))
        let error = try #require(throws: PostgreSQLError.self) {
            try connection.forEachRow("SELECT 1/0 FROM generate_series(1, 3)", []) { _ in }
        }
        #expect(error.sqlState == "22012", "the server's error, as a PostgreSQLError: \(error)")
        #expect(try connection.scalar("SELECT 'again'") == .text("again"))
    }

    /// COPY's text format: tabs, newlines, backslashes escaped, `\N` for NULL, bytea in hex; bytes handed
    /// over in pieces that cut rows and escapes in two.
    @Test func copyInCarriesEscapedTextInPieces() throws {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let connection = try PostgreSQLConnection(settings)
        try connection.execute("CREATE TABLE c (id bigint, t text, b bytea, r double precision)")
        let text =
            "1\ttab\\there\\nline\\\\back\t\\\\x00ff\t1.5\n" + "2\t\\N\t\\N\t-Infinity\n" + "3\tHélène\t\\\\x\t\\N\n"
        let bytes = Array(text.utf8)
        let copy = try connection.copyIn(table: "c", columns: ["id", "t", "b", "r"])
        var offset = 0
        for size in [1, 2, 3, 5, 8, 13] + Array(repeating: 21, count: 10) where offset < bytes.count {
            let end = min(bytes.count, offset + size)
            try copy.send(bytes[offset..<end])
            offset = end
        }
        #expect(offset == bytes.count)
        #expect(try copy.finish() == 3)
        let rows = try connection.query("SELECT id, t, b, r FROM c ORDER BY id")
        #expect(
            rows == [
                [.integer(1), .text("tab\there\nline\\back"), .blob(Data([0x00, 0xFF])), .real(1.5)],
                [.integer(2), .null, .null, .real(-.infinity)],
                [.integer(3), .text("Hélène"), .blob(Data()), .null],
            ])
        // The independent reading: psql's own rendering of the same rows.
        let server = try PostgreSQLTestServer.shared()
        let psql = try server.client(
            "SELECT id, length(t), encode(b, 'hex') FROM c ORDER BY id", database: settings.database!)
        #expect(psql.status == 0, "\(psql.output)")
        #expect(psql.output == "1|18|00ff\n2||\n3|6|\n")
    }

    @Test func aLargeCopyStreamsInChunks() throws {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let connection = try PostgreSQLConnection(settings)
        try connection.execute("CREATE TABLE c (id bigint, t text)")
        let copy = try connection.copyIn(table: "c", columns: ["id", "t"])
        let padding = String(repeating: "y", count: 100)
        for id in 1...200_000 { try copy.send(Array("\(id)\t\(padding)\n".utf8)) }
        #expect(try copy.finish() == 200_000)
        #expect(
            try connection.query("SELECT count(*), sum(id) FROM c") == [[.integer(200_000), .integer(20_000_100_000)]])
    }

    /// One COPY after the other in one transaction, one of them empty, as a restore does table by table.
    @Test func copiesFollowEachOtherInATransaction() throws {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let connection = try PostgreSQLConnection(settings)
        try connection.execute("BEGIN")
        try connection.execute("CREATE TABLE a (id bigint)")
        try connection.execute("CREATE TABLE b (id bigint, t text)")
        let first = try connection.copyIn(table: "a", columns: ["id"])
        try first.send(Array("1\n2\n".utf8))
        #expect(try first.finish() == 2)
        let empty = try connection.copyIn(table: "b", columns: ["id", "t"])
        #expect(try empty.finish() == 0)
        let second = try connection.copyIn(table: "b", columns: ["id", "t"])
        try second.send(Array("3\tc\n".utf8))
        #expect(try second.finish() == 1)
        try connection.execute("COMMIT")
        #expect(
            try connection.query("SELECT (SELECT count(*) FROM a), (SELECT count(*) FROM b)") == [
                [.integer(2), .integer(1)]
            ])
    }

    /// The server refuses an early row while later chunks are still being sent: the refusal reaches the
    /// sender (at a later send or at finish), and the connection serves again.
    @Test func aRefusalWhileChunksAreStillSentReachesTheSender() throws {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let connection = try PostgreSQLConnection(settings)
        try connection.execute("CREATE TABLE c (id bigint, t text)")
        let copy = try connection.copyIn(table: "c", columns: ["id", "t"])
        let padding = String(repeating: "z", count: 1000)
        let error = try #require(throws: PostgreSQLError.self) {
            try copy.send(Array("bad\tx\n".utf8))
            for id in 1...4_000 { try copy.send(Array("\(id)\t\(padding)\n".utf8)) }
            try copy.finish()
        }
        #expect(error.sqlState == "22P02", "\(error)")
        copy.abandon()
        #expect(try connection.scalar("SELECT count(*) FROM c") == .integer(0))
    }

    @Test func aRowTheServerRefusesFailsTheCopyAndKeepsNothing() throws {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let connection = try PostgreSQLConnection(settings)
        try connection.execute("CREATE TABLE c (id bigint, t text)")
        let copy = try connection.copyIn(table: "c", columns: ["id", "t"])
        try copy.send(Array("1\tgood\nnot-a-number\tbad\n".utf8))
        let error = try #require(throws: PostgreSQLError.self) { try copy.finish() }
        #expect(error.sqlState == "22P02", "\(error)")
        #expect(error.description.contains("not-a-number"), "\(error)")
        #expect(try connection.scalar("SELECT count(*) FROM c") == .integer(0))
        let abandoned = try connection.copyIn(table: "c", columns: ["id", "t"])
        try abandoned.send(Array("2\tkept?\n".utf8))
        abandoned.abandon()
        #expect(try connection.scalar("SELECT count(*) FROM c") == .integer(0), "an abandoned COPY keeps nothing")
        #expect(throws: PostgreSQLError.self, "an unknown table, refused when the COPY starts") {
            try connection.copyIn(table: "missing", columns: ["id"])
        }
        #expect(try connection.scalar("SELECT 1") == .integer(1))
    }

    @Test func scriptsRunStatementByStatement() throws {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let connection = try PostgreSQLConnection(settings)
        try connection.simpleQuery(
            """
            -- a profile's migration; semicolons; in comments are not ends
            CREATE TABLE s (v text);
            INSERT INTO s VALUES ('a;b'), ('it''s; here');
            /* a block; /* nested; */ comment */
            CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $body$ SELECT 'x;y' $body$;
            INSERT INTO s SELECT f();
            """)
        #expect(
            try connection.query("SELECT v FROM s ORDER BY v") == [
                [.text("a;b")], [.text("it's; here")], [.text("x;y")],
            ])
    }

    @Test func aWrongPasswordSaysSoAndNeverShowsIt() throws {
        var settings = try PostgreSQLTestDatabase.admin()
        settings.password = "not-the-password-\(UUID().uuidString)"
        let error = try #require(throws: PostgreSQLError.self) { try PostgreSQLConnection(settings) }
        #expect(error.isAuthenticationFailure, "\(error)")
        #expect(error.description.contains("password"), "\(error)")
        #expect(!error.description.contains(settings.password!), "the password never appears")
        #expect(!error.isConnectionLost)
    }

    @Test func anUnreachableServerSaysWhereAndWhatToCheck() throws {
        let port = try #require(PostgreSQLTestServer.unusedPort())
        let error = try #require(throws: PostgreSQLError.self) {
            try PostgreSQLConnection(PostgreSQLSettings(port: port, user: "nobody", password: "secret-word"))
        }
        #expect(error.sqlState == "08001", "\(error)")
        #expect(error.description.contains("127.0.0.1:\(port)") && error.description.contains("Is the server running"))
        #expect(!error.description.contains("secret-word"))
        #expect(error.isConnectionLost, "an import fails cleanly and can be run again")
    }

    @Test func aMissingDatabaseIsNamed() throws {
        let settings = try PostgreSQLTestDatabase.admin().with(database: "no_such_db_\(UUID().uuidString.prefix(6))")
        let error = try #require(throws: PostgreSQLError.self) { try PostgreSQLConnection(settings) }
        #expect(error.sqlState == PostgreSQLError.State.invalidCatalog)
        #expect(error.description.contains(settings.database!), "\(error)")
    }

    @Test func aSyntaxErrorQuotesTheStatementNotItsValues() throws {
        let (settings, _, cleanup) = try PostgreSQLTestDatabase.fresh()
        defer { cleanup() }
        let connection = try PostgreSQLConnection(settings)
        let error = try #require(throws: PostgreSQLError.self) {
            try connection.query("SELEC $1", [.text("value-not-shown")])
        }
        #expect(error.sqlState == "42601")
        #expect(error.description.contains("syntax error") && error.description.contains("SELEC $1"), "\(error)")
        #expect(!error.description.contains("value-not-shown"))
    }

    /// The process's resident memory now (VmRSS).
    static func residentBytes() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }
}
