import Foundation
import Testing
import TransfertTestSupport

/// Issue #30: SACoche's bundles on a PostgreSQL hosting. Imported there, every table digests as on a MariaDB
/// hosting given the same bundle, and `export --format sacoche` writes back the same SQL files MariaDB's
/// hosting writes (nothing narrowed on the way); a FULLTEXT key on a 100 KB text is carried, not refused.
extension SACocheTests {
    /// Per establishment (by id), per table: rows and SHA-256, as the manifest of a bundle in Transfert's
    /// format says (read with unzip).
    func digestsByID(_ zip: String) throws -> [String: [String: String]] {
        let manifest = try run(try #require(which("unzip")), ["-p", zip, "manifest.json"])
        #expect(manifest.status == 0, "\(manifest.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(manifest.stdout.utf8)) as? [String: Any])
        var out: [String: [String: String]] = [:]
        for establishment in try #require(json["establishments"] as? [[String: Any]]) {
            var tables: [String: String] = [:]
            for table in try #require(establishment["tables"] as? [[String: Any]]) {
                tables["\(table["table"] ?? "")"] = "\(table["rows"] ?? "") \(table["sha256"] ?? "")"
            }
            out["\(establishment["base_id"] ?? "")"] = tables
        }
        return out
    }

    /// A PostgreSQL hosting with SACoche's profile and zone 2, on the test cluster.
    func sacochePostgreSQLHosting(_ workspace: Workspace, _ hosting: String, prefix: String) throws {
        let server = try PostgreSQLTestServer.shared()
        let account = try makePostgreSQLOperator(workspace, server: server)
        let created = try initPostgreSQL(
            workspace, hosting, server: server, account: account, registry: "\(prefix)registry", prefix: prefix,
            profile: Self.profile)
        #expect(created.status == 0, "\(created.transcript)")
        try workspace.succeed(["zone", "add", "Zone 2"], hosting: hosting)
    }

    @Test(
        "three-schools and chunked import into PostgreSQL: every table digests as on MariaDB, and export --format sacoche writes MariaDB's SQL files"
    )
    func importIntoPostgreSQLAsIntoMariaDB() throws {
        let mariadb = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        let prefix = "sp\(UUID().uuidString.prefix(4).lowercased())_"
        try sacochePostgreSQLHosting(workspace, "pg", prefix: prefix)
        let account = try makeOperator(workspace, server: mariadb)
        let created = try initMariaDB(
            workspace, "maria", server: mariadb, account: account, registry: "\(prefix)registry", prefix: prefix,
            profile: Self.profile)
        #expect(created.status == 0, "\(created.transcript)")
        try workspace.succeed(["zone", "add", "Zone 2"], hosting: "maria")
        var fixtures: [String: Fixture] = [:]
        for name in ["three-schools", "chunked"] {
            let f = try fixture(name, in: workspace)
            fixtures[name] = f
            let onPostgreSQL = try importFixture(f, into: workspace, hosting: "pg")
            #expect(onPostgreSQL.count == f.innerZips.count)
            #expect(try importFixture(f, into: workspace, hosting: "maria") == onPostgreSQL)
        }

        // Per-table digests of what each engine holds, as each exports it in Transfert's format.
        var digests: [String: [String: [String: String]]] = [:]
        for hosting in ["pg", "maria"] {
            try workspace.succeed(
                ["export", "--ids", "1,2,3,4,5", "--out", workspace.path("\(hosting)-out")], hosting: hosting)
            digests[hosting] = try digestsByID(try bundle(in: workspace.path("\(hosting)-out")).zip)
        }
        #expect(digests["pg"]?.count == 5)
        #expect(digests["pg"] == digests["maria"], "every table of every establishment digests as on MariaDB")

        // Written back in SACoche's format: the fixture's tables and values, and MariaDB's files byte for byte.
        for hosting in ["pg", "maria"] {
            try workspace.succeed(
                ["export", "--format", "sacoche", "--ids", "1,2,3", "--out", workspace.path("\(hosting)-sacoche")],
                hosting: hosting)
        }
        let written = try bundle(in: workspace.path("pg-sacoche"))
        let threeSchools = try #require(fixtures["three-schools"])
        try reader(["compare-bundles", threeSchools.csv, threeSchools.zip, written.csv, written.zip])
        try checkSACocheFiles(written, workspace: workspace)
        try expectSameSQLFiles(
            original: try bundle(in: workspace.path("maria-sacoche")).zip, written: written.zip, workspace: workspace)

        try workspace.succeed(
            ["export", "--format", "sacoche", "--ids", "4,5", "--out", workspace.path("pg-chunked")], hosting: "pg")
        let chunked = try #require(fixtures["chunked"])
        let writtenChunked = try bundle(in: workspace.path("pg-chunked"))
        try reader(["compare-bundles", chunked.csv, chunked.zip, writtenChunked.csv, writtenChunked.zip])
    }

    /// three-schools with `sacoche_matiere.matiere_nom` (a FULLTEXT key) turned into a `mediumtext` holding
    /// 100,000 bytes in one row of the base of Id_Export 4: the dump MySQL would write for such a table.
    func fixtureWithALongFulltextValue(in workspace: Workspace) throws -> Fixture {
        let source = try fixture("three-schools", in: workspace)
        let script = """
            import sys, zipfile, io
            path = sys.argv[1]
            big = ' '.join('mot%05d' % i for i in range(12500))[:100000]
            with zipfile.ZipFile(path) as outer:
                entries = [(info, outer.read(info)) for info in outer.infolist()]
            with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as new:
                for info, data in entries:
                    if info.filename.startswith('dump_SACoche_4_'):
                        buffer = io.BytesIO()
                        with zipfile.ZipFile(io.BytesIO(data)) as inner, zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as rebuilt:
                            for entry in inner.infolist():
                                text = inner.read(entry)
                                if entry.filename == 'dump_sacoche_matiere_0000.sql':
                                    sql = text.decode('utf-8')
                                    declared = "matiere_nom varchar(63) COLLATE utf8_unicode_ci NOT NULL DEFAULT ''"
                                    assert declared in sql and '"Mathématiques"' in sql
                                    sql = sql.replace(declared, 'matiere_nom mediumtext COLLATE utf8_unicode_ci NOT NULL')
                                    text = sql.replace('"Mathématiques"', '"' + big + '"').encode('utf-8')
                                rebuilt.writestr(entry, text)
                        data = buffer.getvalue()
                    new.writestr(info, data)
            """
        let made = try run(try #require(which("python3")), ["-c", script, source.zip])
        #expect(made.status == 0, "\(made.transcript)")
        return source
    }

    @Test(
        "a FULLTEXT key on a 100 KB text imports into PostgreSQL (declared, not built), verifies deep, and is written back as SACoche wrote it"
    )
    func aLongFulltextValueTravelsThroughPostgreSQL() throws {
        let server = try PostgreSQLTestServer.shared()
        let workspace = try Workspace()
        let prefix = "sf\(UUID().uuidString.prefix(4).lowercased())_"
        try sacochePostgreSQLHosting(workspace, "pg", prefix: prefix)
        let f = try fixtureWithALongFulltextValue(in: workspace)
        let ids = try importFixture(f, into: workspace, hosting: "pg")
        let id = try #require(ids[4])
        let psql = PSQL(server)
        let database = "\(prefix)base_\(id)"
        #expect(
            try psql.value(
                "SELECT octet_length(matiere_nom) FROM sacoche_matiere WHERE matiere_id = 613", database: database)
                == "100000")
        // No B-tree over the text (it would refuse a value over about 2,700 bytes); the key is in the table's comment.
        #expect(
            try psql.value(
                "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'sacoche_matiere' AND indexname LIKE '%matiere_nom%'",
                database: database) == "0")
        #expect(
            try psql.value("SELECT obj_description('sacoche_matiere'::regclass, 'pg_class')", database: database)
                .contains("\"fulltext_indexes\""))

        // Transfert's own format, proven restorable on PostgreSQL (a scratch database there).
        try workspace.succeed(["export", "--ids", "\(id)", "--out", workspace.path("tf")], hosting: "pg")
        let own = try bundle(in: workspace.path("tf"))
        try workspace.succeed(["verify", "--deep", own.csv, own.zip], hosting: "pg")

        // SACoche's format: every SQL file as in the bundle imported, the FULLTEXT key and the 100 KB value included.
        try workspace.succeed(
            [
                "export", "--format", "sacoche", "--packet-rows", "5000", "--ids", "1,2,3", "--out",
                workspace.path("back"),
            ],
            hosting: "pg")
        let written = try bundle(in: workspace.path("back"))
        try expectSameSQLFiles(original: f.zip, written: written.zip, workspace: workspace)
        try reader(["compare-bundles", f.csv, f.zip, written.csv, written.zip])
    }
}
