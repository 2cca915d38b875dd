import Foundation
import Testing
import TransfertTestSupport

/// "Nothing is lost silently", engine by engine: the import trusts the digests it takes while parsing,
/// so each engine must store every value exactly as parsed or refuse it. One probe set — a value of
/// each kind bound for a column of each neutral type (INTEGER, REAL, TEXT, BLOB: what MariaDB creates as
/// BIGINT, DOUBLE, LONGTEXT, LONGBLOB) — goes into a crafted bundle (``affinityProbeScript``, digests
/// made by Python over the values as written) and is imported on MariaDB and PostgreSQL. MariaDB keeps
/// and PostgreSQL keep only the column's kind: every other value is refused by `import` with table, row,
/// column and line, and nothing is left behind. An import that succeeds exports the table again with
/// the digest it was written with.
@Suite("Stored values on MariaDB and PostgreSQL", .serialized)
struct StoredValueEngineTests {
    typealias Cell = AffinityTests.Cell

    /// After `id`: the columns MariaDB and PostgreSQL both create (no NUMERIC, which they refuse).
    static let columns = [["i", "INTEGER"], ["r", "REAL"], ["t", "TEXT"], ["b", "BLOB"]]

    /// A row of values each column keeps as it is, on every engine.
    static let kept: [Cell] = [("int", 7), ("real", 1.5), ("text", "x1"), ("blob", "ab")]

    /// Values bound for a column of another type: column, kind, value, how the refusal shows it and what
    /// MariaDB would have stored.
    static let converted: [(column: String, kind: String, value: any Sendable, shown: String, stored: String)] = [
        ("i", "text", "1", "'1'", "as a number"), ("i", "text", " 12", "' 12'", "as a number"),
        ("i", "real", 2.5, "2.5", "as an integer (rounded)"),
        ("i", "blob", "31", "a blob of 1 bytes", "as a number, not as a blob"),
        ("r", "int", 3, "3", "as a real, not as an integer"), ("r", "text", "1e3", "'1e3'", "as a number"),
        ("t", "int", 5, "5", "as text, not as a number"), ("t", "real", 0.5, "0.5", "as text, not as a number"),
        ("t", "blob", "c3a9", "a blob of 2 bytes", "as text, not as a blob"), ("b", "text", "x", "'x'", "as a blob"),
        ("b", "int", 9, "9", "as a blob"),
    ]

    /// The probe's row 2 with `case_`'s value, beside a row of NULLs.
    static func rows(with case_: (column: String, kind: String, value: any Sendable)) -> [[Cell]] {
        let nulls: [Cell] = columns.map { _ in ("null", 0) }
        var second = nulls
        second[columns.firstIndex { $0[0] == case_.column }!] = (case_.kind, case_.value)
        return [nulls, second]
    }

    @Test func everyConvertedValueIsRefusedOnMariaDBWithItsPlaceAndKeptValuesComeBackByte_for_byte() throws {
        let fixture = try AffinityTests.Fixture()
        let workspace = fixture.workspace
        let server = try MariaDBTestServer.shared()
        let account = try makeOperator(workspace, server: server)
        let tag = "sv\(UUID().uuidString.prefix(6).lowercased())"
        let created = try initMariaDB(
            workspace, "target", server: server, account: account, registry: "\(tag)_registry", prefix: "\(tag)_")
        try #require(created.status == 0, "\(created.transcript)")
        for (which, case_) in Self.converted.enumerated() {
            let probe = try fixture.probe(
                Self.rows(with: (case_.column, case_.kind, case_.value)), in: "converted\(which)",
                columns: Self.columns)
            let place =
                "table affinity_probe, row 2, column \(case_.column): the value \(case_.shown) would be stored by MariaDB"
            // (`verify --deep` restores into SQLite unless --against-source names a MariaDB hosting.)
            for arguments in [["import", probe.csv, probe.zip]] {
                let result = try workspace.transfert(arguments, hosting: "target")
                let output = result.stdout + result.stderr
                #expect(result.status != 0, "\(arguments[0]) must refuse \(case_.shown):\n\(result.transcript)")
                #expect(output.contains(place), "\(arguments[0]):\n\(result.transcript)")
                #expect(output.contains(case_.stored), "\(arguments[0]):\n\(result.transcript)")
                #expect(output.contains("line \(probe.line + 1)"), "\(arguments[0]):\n\(result.transcript)")
            }
        }
        // Nothing imported, no database left behind.
        let databases = try server.client("SHOW DATABASES LIKE '\(tag)\\_base\\_%'").output
        #expect(databases.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(databases)")
        // The values of each column's own kind are imported and read back by the client as written.
        let probe = try fixture.probe([Self.kept], in: "kept", columns: Self.columns)
        try workspace.succeed(["import", probe.csv, probe.zip], hosting: "target")
        let database = try server.client("SHOW DATABASES LIKE '\(tag)\\_base\\_%'").output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let read = try server.client(
            "SELECT i, r, HEX(t), HEX(b) FROM affinity_probe ORDER BY id", database: database)
        #expect(read.output.trimmingCharacters(in: .whitespacesAndNewlines) == "7\t1.5\t7831\tAB", "\(read.output)")
        #expect(try Self.exportedDigests(workspace, hosting: "target") == [probe.digest])
    }

    /// PostgreSQL: its COPY encoder refuses some values its typed columns cannot hold (text into bigint),
    /// but stored an integer bound for a double precision or text column converted, under a digest of
    /// what was parsed. Each converted value is now refused at its place; an import that says done
    /// exports the table again with the digest it was written with.
    @Test func postgreSQLRefusesEveryConvertedValueWithItsPlace() throws {
        let fixture = try AffinityTests.Fixture()
        let workspace = fixture.workspace
        let server = try PostgreSQLTestServer.shared()
        let account = try makePostgreSQLOperator(workspace, server: server)
        var outcomes: [String] = []
        for (which, case_) in Self.converted.enumerated() {
            // A hosting per probe: the same establishment imported twice would be refused for that alone.
            let tag = "sv\(UUID().uuidString.prefix(6).lowercased())"
            let created = try initPostgreSQL(
                workspace, "pg\(which)", server: server, account: account, registry: "\(tag)_registry",
                prefix: "\(tag)_")
            try #require(created.status == 0, "\(created.transcript)")
            let probe = try fixture.probe(
                Self.rows(with: (case_.column, case_.kind, case_.value)), in: "converted\(which)",
                columns: Self.columns)
            let imported = try workspace.transfert(["import", probe.csv, probe.zip], hosting: "pg\(which)")
            let output = imported.stdout + imported.stderr
            #expect(!output.contains("Fatal error"))
            #expect(
                output.contains(
                    "table affinity_probe, row 2, column \(case_.column): the value \(case_.shown) would be stored by PostgreSQL"
                ),
                "\(imported.transcript)")
            if imported.status == 0 {
                // An import that said done stored the table as written: exported again, the same digest.
                #expect(
                    try Self.exportedDigests(workspace, hosting: "pg\(which)") == [probe.digest],
                    "\(case_.shown) into \(case_.column): imported as done, stored differently")
                outcomes.append("\(case_.shown) into \(case_.column): kept")
            } else {
                outcomes.append("\(case_.shown) into \(case_.column): refused")
            }
        }
        #expect(!outcomes.contains { $0.hasSuffix("kept") }, "\(outcomes)")
    }

    /// The digests of `affinity_probe` in a fresh export of every establishment of `hosting`.
    static func exportedDigests(_ workspace: Workspace, hosting: String) throws -> [String] {
        let out = workspace.path("\(hosting)-export-\(UUID().uuidString.prefix(6))")
        try workspace.succeed(["export", "--all", "--out", out], hosting: hosting)
        let zip = try #require(try FileManager.default.contentsOfDirectory(atPath: out).first { $0.hasSuffix(".zip") })
        let result = try run(
            try #require(which("python3")),
            [
                "-c",
                "import sys, json, zipfile; m = json.loads(zipfile.ZipFile(sys.argv[1]).read('manifest.json')); print(' '.join(t['sha256'] for e in m['establishments'] for t in e['tables'] if t['table'] == 'affinity_probe'))",
                out + "/" + zip,
            ])
        #expect(result.status == 0, "\(result.transcript)")
        return result.stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}
