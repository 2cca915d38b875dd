import Foundation
import Testing

/// Issue #29: the import trusts the digests taken while parsing, so a value SQLite's type affinity would
/// convert on insert (the text `'1'` into an INTEGER column, an integer into a REAL one, `'1e3'` into a
/// NUMERIC one…) must never be stored under a digest of what was parsed. Crafted bundles
/// (``affinityProbeScript``, digests made by Python over the values as written) hold every affinity ×
/// every value kind: the values SQLite keeps are imported and read back by `sqlite3` with the storage
/// class they were written with; each value it would convert is refused by `import` and
/// `verify --deep`, naming table, row and column, and leaves nothing behind.
@Suite("Type affinity of restored values", .serialized)
struct AffinityTests {
    /// A value of the JSON the script reads: kind and value.
    typealias Cell = (kind: String, value: any Sendable)

    /// Columns i (INTEGER), r (REAL), n (NUMERIC), t (TEXT), b (BLOB), d (DATETIME: NUMERIC), a (none: BLOB).
    static let columnNames = ["i", "r", "n", "t", "b", "d", "a"]

    /// Per column, values of every kind that SQLite stores as they are: `(kind, value, sqlite3's quote())`.
    static let kept: [[(String, any Sendable, String)]] = [
        [
            ("null", 0, "NULL"), ("int", 7, "7"), ("real", 1.5, "1.5"), ("text", "x1", "'x1'"),
            ("text", "2024-01-01", "'2024-01-01'"), ("text", "", "''"), ("text", "1e", "'1e'"), ("blob", "31", "X'31'"),
        ],
        [
            ("null", 0, "NULL"), ("real", 2.5, "2.5"), ("real", 3.0, "3.0"), ("text", "abc", "'abc'"),
            ("text", "0x10", "'0x10'"), ("blob", "00ff", "X'00FF'"),
        ],
        [
            ("null", 0, "NULL"), ("int", -5, "-5"), ("real", 0.25, "0.25"), ("text", "soon", "'soon'"),
            ("text", "1 2", "'1 2'"), ("blob", "32", "X'32'"),
        ],
        [("null", 0, "NULL"), ("text", "12", "'12'"), ("text", " 1 ", "' 1 '"), ("blob", "00", "X'00'")],
        [("null", 0, "NULL"), ("int", 9, "9"), ("real", 1.5, "1.5"), ("text", "12", "'12'"), ("blob", "ab", "X'AB'")],
        [
            ("null", 0, "NULL"), ("int", 20_240_101, "20240101"), ("real", 0.5, "0.5"),
            ("text", "2024-01-01 10:00:00", "'2024-01-01 10:00:00'"), ("blob", "31", "X'31'"),
        ],
        [("null", 0, "NULL"), ("int", 3, "3"), ("real", 2.0, "2.0"), ("text", "7", "'7'"), ("blob", "", "X''")],
    ]

    /// Values SQLite would store converted, one per affinity and kind that converts: column, kind, value,
    /// and how the refusal shows it.
    static let converted: [(column: String, kind: String, value: any Sendable, shown: String)] = [
        ("i", "text", "1", "'1'"), ("i", "text", "\t-8\n", "'\\u{9}-8\\u{A}'"), ("i", "real", 2.0, "2.0"),
        ("r", "int", 3, "3"), ("r", "text", "1e3", "'1e3'"), ("n", "text", " 3.0e+5 ", "' 3.0e+5 '"),
        ("n", "real", -4.0, "-4.0"), ("t", "int", 5, "5"), ("t", "real", 1.5, "1.5"), ("d", "text", ".5", "'.5'"),
        ("d", "real", 0.0, "0.0"),
    ]

    struct Fixture {
        let workspace: Workspace
        let csv: String
        let zip: String

        init() throws {
            workspace = try Workspace()
            try workspace.initHosting("source")
            try workspace.succeed(["sample", "--structures", "1", "--students", "5", "--seed", "3"], hosting: "source")
            try workspace.succeed(["export", "--all", "--out", workspace.path("export")], hosting: "source")
            let exported = try #require(
                try FileManager.default.contentsOfDirectory(atPath: workspace.path("export")).first {
                    $0.hasSuffix(".zip")
                })
            zip = workspace.path("export/" + exported)
            csv = String(zip.dropLast(4)) + ".csv"
        }

        /// The bundle with `rows` in `affinity_probe`, in `directory`; returns its CSV, ZIP and the line of
        /// its first row.
        func probe(_ rows: [[Cell]], in directory: String, columns: [[String]]? = nil) throws -> (
            csv: String, zip: String, line: Int, digest: String
        ) {
            try FileManager.default.createDirectory(
                atPath: workspace.path(directory), withIntermediateDirectories: true)
            let json = String(
                decoding: try JSONSerialization.data(withJSONObject: rows.map { $0.map { [$0.kind, $0.value] } }),
                as: UTF8.self)
            let csvCopy = workspace.path("\(directory)/probe.csv")
            let zipCopy = workspace.path("\(directory)/probe.zip")
            let result = try run(
                try #require(which("python3")),
                ["-c", affinityProbeScript, zip, zipCopy, csv, csvCopy, json]
                    + (columns.map { [String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self)] }
                        ?? []))
            try #require(result.status == 0, "\(result.transcript)")
            let answer = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            return (csvCopy, zipCopy, try #require(answer?["line"] as? Int), try #require(answer?["digest"] as? String))
        }
    }

    @Test func valuesSQLiteKeepsAreImportedWithTheStorageClassTheyWereWrittenWith() throws {
        let fixture = try Fixture()
        let workspace = fixture.workspace
        let rowCount = Self.kept.map(\.count).max()!
        // Row k holds each column's k-th kept value (NULL once a column has no more).
        let rows: [[Cell]] = (0..<rowCount).map { k in
            Self.kept.map { values in k < values.count ? (values[k].0, values[k].1) : ("null", 0) }
        }
        let probe = try fixture.probe(rows, in: "kept")
        try workspace.initHosting("target")
        try workspace.succeed(["verify", "--deep", probe.csv, probe.zip], hosting: "target")
        try workspace.succeed(["import", probe.csv, probe.zip], hosting: "target")
        let bases = try FileManager.default.contentsOfDirectory(atPath: workspace.path("target/bases"))
        let base = try #require(bases.first { $0.hasSuffix(".sqlite") })
        let read = try workspace.sqlite(
            "target/bases/\(base)",
            "SELECT " + Self.columnNames.map { "typeof(\($0)) || ' ' || quote(\($0))" }.joined(separator: " || '|' || ")
                + " FROM affinity_probe ORDER BY id")
        let expected = (0..<rowCount).map { k in
            Self.kept.map { values -> String in
                guard k < values.count else { return "null NULL" }
                let kind = ["null": "null", "int": "integer", "real": "real", "text": "text", "blob": "blob"][
                    values[k].0]!
                return "\(kind) \(values[k].2)"
            }.joined(separator: "|")
        }
        #expect(read.components(separatedBy: "\n") == expected)
    }

    @Test(arguments: Self.converted.indices)
    func aValueSQLiteWouldConvertIsRefusedByImportAndVerify(_ which: Int) throws {
        let fixture = try Fixture()
        let workspace = fixture.workspace
        let case_ = Self.converted[which]
        let nulls: [Cell] = Self.columnNames.map { _ in ("null", 0) }
        var second = nulls
        second[Self.columnNames.firstIndex(of: case_.column)!] = (case_.kind, case_.value)
        let probe = try fixture.probe([nulls, second], in: "converted")
        let place = "table affinity_probe, row 2, column \(case_.column): the value \(case_.shown) would be stored"
        try workspace.initHosting("target")
        for arguments in [["verify", "--deep", probe.csv, probe.zip], ["import", probe.csv, probe.zip]] {
            let result = try workspace.transfert(arguments, hosting: "target")
            let output = result.stdout + result.stderr
            #expect(result.status != 0, "\(arguments[0]) must refuse:\n\(result.transcript)")
            #expect(output.contains(place), "\(arguments[0]):\n\(result.transcript)")
            #expect(output.contains("line \(probe.line + 1)"), "\(arguments[0]):\n\(result.transcript)")
            #expect(!output.contains("Fatal error"))
        }
        // Nothing registered, no database left behind.
        let bases = (try? FileManager.default.contentsOfDirectory(atPath: workspace.path("target/bases"))) ?? []
        #expect(bases.filter { $0.hasPrefix("base_") }.isEmpty, "\(bases)")
        let list = try workspace.succeed(["structure", "list"], hosting: "target")
        #expect(!list.stdout.contains("0596829C"), "\(list.stdout)")
    }
}
