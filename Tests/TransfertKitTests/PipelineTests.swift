import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// A count shared with the producer thread.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add() { lock.withLock { count += 1 } }
}

@Suite("Two-thread restore")
struct PipelineTests {
    struct Boom: Error, Equatable { var at: Int }

    /// `Pipeline.run`, or `Pipeline.consumeAside` (the producer on the calling thread) when `aside`.
    func pipeline<Summary>(
        aside: Bool, produce: @escaping (_ send: @escaping (Int) -> Bool) throws -> Summary,
        consume: @escaping (Int) throws -> Void
    ) throws -> Summary {
        aside
            ? try Pipeline.consumeAside(capacity: 2, produce: produce, consume: consume)
            : try Pipeline.run(capacity: 2, produce: produce, consume: consume)
    }

    @Test(arguments: [false, true])
    func everyItemArrivesInOrderAndTheSummaryComesBack(aside: Bool) throws {
        var received: [Int] = []
        let summary = try pipeline(
            aside: aside,
            produce: { send in
                for item in 0..<1000 { _ = send(item) }
                return "done"
            }, consume: { item in received.append(item) })
        #expect(summary == "done")
        #expect(received == Array(0..<1000))
    }

    @Test func aProducerErrorIsRethrownAfterWhatItSentWasConsumed() {
        var received: [Int] = []
        #expect(throws: Boom(at: 5)) {
            _ = try Pipeline.run(
                capacity: 2,
                produce: { send in
                    for item in 0..<5 { _ = send(item) }
                    throw Boom(at: 5)
                }, consume: { (item: Int) in received.append(item) })
        }
        #expect(received == Array(0..<5))
    }

    @Test func aConsumerErrorStopsTheProducer() {
        let sent = Counter()
        let refused = Counter()
        #expect(throws: Boom(at: 3)) {
            _ = try Pipeline.run(
                capacity: 2,
                produce: { send in
                    for item in 0..<100_000 {
                        guard send(item) else {
                            refused.add()
                            return 0
                        }
                        sent.add()
                    }
                    return 0
                }, consume: { (item: Int) in if item == 3 { throw Boom(at: 3) } })
        }
        #expect(refused.value == 1)
        // Bounded: the producer got at most the queue's capacity ahead of the item that failed.
        #expect(sent.value <= 4 + 2)
    }

    @Test func consumedAsideTheConsumerErrorIsRethrownAndStopsTheProducer() {
        let refused = Counter()
        #expect(throws: Boom(at: 3)) {
            try Pipeline.consumeAside(
                capacity: 1,
                produce: { send in
                    for item in 0..<100_000 {
                        guard send(item) else {
                            refused.add()
                            throw Boom(at: -1)  // what a producer that stops says: not what is rethrown
                        }
                    }
                }, consume: { (item: Int) in if item == 3 { throw Boom(at: 3) } })
        }
        #expect(refused.value == 1)
    }

    @Test func consumedAsideAProducerErrorIsRethrownAfterTheConsumerEnded() {
        let consumed = Counter()
        #expect(throws: Boom(at: 5)) {
            try Pipeline.consumeAside(
                capacity: 1,
                produce: { send in
                    for item in 0..<5 { _ = send(item) }
                    throw Boom(at: 5)
                }, consume: { (_: Int) in consumed.add() })
        }
        #expect(consumed.value <= 5)
    }

    /// The consumer's thread lets go of the closure before the call returns: a caller's
    /// `withoutActuallyEscaping` closure traps otherwise (it did, one export in ten, before the fix).
    @Test func consumedAsideTheConsumerDoesNotOutliveTheCall() throws {
        func run(_ record: (Int) -> Void) throws {
            try withoutActuallyEscaping(record) { record in
                try Pipeline.consumeAside(
                    capacity: 1, produce: { send in for item in 0..<10 { _ = send(item) } },
                    consume: { (item: Int) in record(item) })
            }
        }
        for _ in 0..<200 {
            var total = 0
            try run { total += $0 }
            #expect(total == 45)
        }
    }

    @Test func bothRunsTwoJobsAndReportsEitherError() throws {
        let (a, b) = try Concurrently.both({ 1 + 1 }, { "two" })
        #expect(a == 2 && b == "two")
        #expect(throws: Boom(at: 2)) { _ = try Concurrently.both({ 1 }, { () throws -> Int in throw Boom(at: 2) }) }
        #expect(throws: Boom(at: 1)) { _ = try Concurrently.both({ () throws -> Int in throw Boom(at: 1) }, { 2 }) }
    }
}

@Suite("Restored database checks")
struct RestoredDumpCheckTests {
    /// A database holding `rows` of table t, and the manifest digest of those rows in key order.
    func database(rows: [(Int64, String)]) throws -> (TemporaryDirectory, SQLiteEstablishmentStore, TableDigest) {
        let directory = try TemporaryDirectory()
        let store = SQLiteEstablishmentStore(directory: directory.url)
        try store.create(
            baseID: 1,
            schema: try DatabaseSchema(parsing: "CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT NOT NULL)"))
        try store.write(baseID: 1) { writer in
            let inserter = try writer.makeInserter(table: "t", columns: ["id", "label"])
            for (id, label) in rows { try inserter.insert([.integer(id), .text(label)]) }
        }
        var digest = ContentDigest(columns: ["id", "label"])
        for (id, label) in rows.sorted(by: { $0.0 < $1.0 }) { digest.add(row: [.integer(id), .text(label)]) }
        return (directory, store, TableDigest(table: "t", rows: digest.rowCount, sha256: digest.finalize()))
    }

    @Test func aStreamedDigestThatMatchesIsTakenWithTheCountedRows() throws {
        let (directory, store, expected) = try database(rows: [(1, "Zoé"), (2, "Élise")])
        defer { _ = directory }
        let restored = RestoredDump(tables: ["t"], rowCounts: ["t": 2], streamedDigests: ["t": expected])
        #expect(try store.read(baseID: 1) { try restored.differences(from: [expected], in: $0) } == [])
    }

    @Test func rowsParsedOutOfKeyOrderAreReadBackAndAccepted() throws {
        // Dumped 2 then 1: the digest of the parse differs from the canonical one; the table itself is right.
        let (directory, store, expected) = try database(rows: [(2, "Élise"), (1, "Zoé")])
        defer { _ = directory }
        var unordered = ContentDigest(columns: ["id", "label"])
        unordered.add(row: [.integer(2), .text("Élise")])
        unordered.add(row: [.integer(1), .text("Zoé")])
        let streamed = TableDigest(table: "t", rows: 2, sha256: unordered.finalize())
        #expect(streamed.sha256 != expected.sha256)
        let restored = RestoredDump(tables: ["t"], rowCounts: ["t": 2], streamedDigests: ["t": streamed])
        #expect(try store.read(baseID: 1) { try restored.differences(from: [expected], in: $0) } == [])
    }

    @Test func aDatabaseThatLostARowIsCaughtEvenWhenTheParseWasRight() throws {
        let (directory, store, expected) = try database(rows: [(1, "Zoé"), (2, "Élise")])
        defer { _ = directory }
        try store.write(baseID: 1) { try $0.execute("DELETE FROM t WHERE id = 2") }
        let restored = RestoredDump(tables: ["t"], rowCounts: ["t": 2], streamedDigests: ["t": expected])
        let problems = try store.read(baseID: 1) { try restored.differences(from: [expected], in: $0) }
        #expect(
            problems == [
                Problem(
                    code: .digestRowCount,
                    message: "table t has 1 rows in the restored database where the bundle has 2",
                    location: ProblemLocation(field: "t"))
            ])
    }

    /// A SACoche bundle knows no digest: its tables are counted, never read back (the read-back's digest
    /// would be compared with nothing), and a lost row is still caught by the count.
    @Test func aTableWithNoExpectedDigestIsCountedNotReadBack() throws {
        let (directory, store, digested) = try database(rows: [(1, "Zoé"), (2, "Élise")])
        defer { _ = directory }
        let expected = TableDigest(table: "t", rows: digested.rows, sha256: "")
        let restored = RestoredDump(tables: ["t"], rowCounts: ["t": 2], streamedDigests: [:])
        let (problems, readBack) = try store.read(baseID: 1) { reader in
            let counting = RowReadCountingReader(reader)
            return (try restored.differences(from: [expected], in: counting), counting.tablesRead)
        }
        #expect(problems == [])
        #expect(readBack == [])
        try store.write(baseID: 1) { try $0.execute("DELETE FROM t WHERE id = 2") }
        let lost = try store.read(baseID: 1) { try restored.differences(from: [expected], in: $0) }
        #expect(lost.map(\.code) == [.digestRowCount])
        // With a digest to prove, the table is read back as before.
        let proved = try store.read(baseID: 1) { reader in
            let counting = RowReadCountingReader(reader)
            _ = try restored.differences(from: [digested], in: counting)
            return counting.tablesRead
        }
        #expect(proved == ["t"])
    }

    @Test func aTableWithoutStreamedDigestIsReadBackAndCompared() throws {
        let (directory, store, expected) = try database(rows: [(1, "Zoé")])
        defer { _ = directory }
        try store.write(baseID: 1) { try $0.execute("UPDATE t SET label = 'Zoe' WHERE id = 1") }
        let restored = RestoredDump(tables: ["t"], rowCounts: ["t": 1], streamedDigests: [:])
        let problems = try store.read(baseID: 1) { try restored.differences(from: [expected], in: $0) }
        #expect(
            problems == [
                Problem(
                    code: .digestContent,
                    message:
                        "table t differs between the restored database and the bundle (same 1 rows, different content digest)",
                    location: ProblemLocation(field: "t"))
            ])
    }
}

@Suite("Grouped inserts")
struct GroupedInsertTests {
    @Test func groupsAndTheRemainderAllLandInOrder() throws {
        let directory = try TemporaryDirectory()
        let store = SQLiteEstablishmentStore(directory: directory.url)
        try store.create(
            baseID: 1,
            schema: try DatabaseSchema(parsing: "CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT, score REAL)"))
        // 64 rows per grouped statement for 3 columns: 3 groups and a remainder of 8.
        let rows = (1...200).map {
            SQLValueRow(values: [
                .integer(Int64($0)), $0 % 7 == 0 ? .null : .text("élève \($0)"), .real(Double($0) / 4),
            ])
        }
        try store.write(baseID: 1) { writer in
            try writer.makeInserter(table: "t", columns: ["id", "label", "score"]).insert(rows: rows)
        }
        let read = try store.read(baseID: 1) { reader in
            var values: [[SQLValue]] = []
            try reader.forEachRow(of: "t", columns: ["id", "label", "score"]) { values.append($0) }
            return values
        }
        #expect(read == rows.map(\.values))
    }

    @Test func aConstraintFailureInsideAGroupIsAnError() throws {
        let directory = try TemporaryDirectory()
        let store = SQLiteEstablishmentStore(directory: directory.url)
        try store.create(
            baseID: 1,
            schema: try DatabaseSchema(parsing: "CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT NOT NULL)"))
        let rows = (1...100).map { SQLValueRow(values: [.integer(Int64($0)), $0 == 50 ? .null : .text("x")]) }
        #expect(throws: (any Error).self) {
            try store.write(baseID: 1) { writer in
                try writer.makeInserter(table: "t", columns: ["id", "label"]).insert(rows: rows)
            }
        }
        #expect(try store.read(baseID: 1) { try $0.rowCount(of: "t") } == 0)
    }
}

@Suite("Export then restore")
struct ExportRestoreRoundTripTests {
    /// Through every fast path at once — libdeflate chunks in our ZIP writer, the two-thread parse,
    /// grouped inserts that bind batch bytes without copies — the restored tables, *read back*, have the
    /// source's digests.
    @Test func aRestoredDatabaseReadBackHasTheManifestDigests() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        try SampleGenerator(structures: 1, students: 30, seed: 4).fill(hosting)
        let export = try Exporter(hosting: hosting).run(
            ExportOptions(selection: .all, outputDirectory: directory.path("out")))
        let archive = try BundleArchive(url: export.zip)
        let establishment = try #require(try archive.manifest().establishments.first)

        let store = SQLiteEstablishmentStore(directory: directory.path("restored"))
        try store.create(baseID: 1, schema: DatabaseSchema())
        let restored = try DumpLoader(archive: archive).restore(establishment, into: store, baseID: 1)
        let readBack = try store.read(baseID: 1) { try $0.tableDigests() }
        #expect(readBack == establishment.tables)
        #expect(restored.rows == establishment.rows)
        #expect(
            restored.streamedDigests.values.sorted { $0.table < $1.table } == establishment.tables,
            "a dump written by Transfert is in canonical order: every table's digest comes from the parse")
        #expect(try store.read(baseID: 1) { try restored.differences(from: establishment.tables, in: $0) } == [])
    }
}

/// A reader that forwards everything and records which tables were read row by row.
final class RowReadCountingReader: EstablishmentReader {
    let base: any EstablishmentReader
    private(set) var tablesRead: [String] = []
    init(_ base: any EstablishmentReader) { self.base = base }
    func scalar(_ sql: String) throws -> SQLValue { try base.scalar(sql) }
    func tableNames() throws -> [String] { try base.tableNames() }
    func columnNames(of table: String) throws -> [String] { try base.columnNames(of: table) }
    func schema() throws -> DatabaseSchema { try base.schema() }
    func rowCount(of table: String) throws -> Int64 { try base.rowCount(of: table) }
    func value(in table: String, column: String, where keyColumn: String, is key: String) throws -> SQLValue {
        try base.value(in: table, column: column, where: keyColumn, is: key)
    }
    func integrityProblems() throws -> [Problem] { try base.integrityProblems() }
    func foreignKeyViolations(limit: Int) throws -> ForeignKeyCheck { try base.foreignKeyViolations(limit: limit) }
    func forEachRawRow(of table: String, columns: [String], _ row: (any RawRow) throws -> Void) throws {
        tablesRead.append(table)
        try base.forEachRawRow(of: table, columns: columns, row)
    }
    func rows(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]] { try base.rows(sql, values) }
}
