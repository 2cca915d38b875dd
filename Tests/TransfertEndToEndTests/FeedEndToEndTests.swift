import Foundation
import Testing

/// Issue #27 on SQLite hostings: Blackboard's examples (``FeedScenario``), a move in the middle of a feed
/// history, and the file-level refusals — checked with sqlite3 and unzip.
@Suite("SIS feeds, end to end (SQLite)", .serialized)
struct FeedEndToEndTests {
    func hosting(_ workspace: Workspace, _ name: String = "hosting", establishments: Int = 1) throws -> FeedScenario {
        try workspace.initHosting(name)
        try workspace.succeed(["zone", "add", "Académie de Besançon"], hosting: name)
        try workspace.succeed(
            ["sample", "--structures", String(establishments), "--students", "10", "--seed", "3"], hosting: name)
        return FeedScenario(workspace: workspace, hosting: name) { baseID, text in
            let output = try workspace.sqlite("\(name)/bases/base_\(baseID).sqlite", text)
            return output.isEmpty ? [] : output.split(separator: "\n").map(String.init)
        }
    }

    @Test func blackboardExamplesOnOneEstablishment() throws {
        let workspace = try Workspace()
        try hosting(workspace).storyOnOneEstablishment(baseID: 1)
    }

    @Test(arguments: ["store", "refresh", "refresh-by-source"])
    func completeExampleWithBothColumns(operation: String) throws {
        let workspace = try Workspace()
        try hosting(workspace).completeExample(operation: operation, baseID: 1)
    }

    /// Feed, export, verify --deep, import on another hosting, feed again: the target continues the
    /// history (run numbers, owned records a refresh disables, first_seen kept).
    @Test func aMoveInTheMiddleOfAFeedHistoryContinuesOnTheTarget() throws {
        let workspace = try Workspace()
        let source = try hosting(workspace, "source")
        try source.addTestCoursesAndPersons(baseID: 1)
        let first = try source.feed(
            1, "store",
            [
                FeedScenario.header, "testcourse1|testPerson1|Student", "testcourse1|testPerson2|Student",
                "testcourse2|testPerson3|Student", "testcourse2|testPerson4|Student", "testcourse2|testPerson1|Student",
            ])
        let firstSeen = try source.sql(
            1, "SELECT first_seen FROM transfert_feed_membership WHERE person_key = 'testPerson3'")
        try workspace.succeed(["export", "--ids", "1", "--out", workspace.path("out")], hosting: "source")
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path("out"))
        let zip = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".zip") })))
        let csv = String(zip.dropLast(4)) + ".csv"
        let verified = try workspace.succeed(["verify", "--deep", csv, zip], hosting: "source")
        #expect(verified.stdout.contains("VERIFIED (deep)"), "\(verified.transcript)")

        try workspace.initHosting("target", name: "serveur-b", baseURL: "https://b.example.org/sacoche/")
        try workspace.succeed(["zone", "add", "Académie de Besançon"], hosting: "target")
        let imported = try workspace.succeed(["import", csv, zip], hosting: "target")
        // The feed's table is Transfert's own: the import does not call the schema different for it.
        #expect(!imported.stdout.contains("transfert_feed"), "\(imported.transcript)")
        let bases = try FileManager.default.contentsOfDirectory(atPath: workspace.path("target/bases"))
        let base = try #require(bases.first { $0.hasPrefix("base_") && $0.hasSuffix(".sqlite") })
        let targetID = try #require(Int(base.dropFirst(5).dropLast(7)))
        let target = FeedScenario(workspace: workspace, hosting: "target") { _, text in
            let output = try workspace.sqlite("target/bases/\(base)", text)
            return output.isEmpty ? [] : output.split(separator: "\n").map(String.init)
        }
        #expect(try target.state(targetID) == source.state(1))
        // The next refresh on the target knows what the integration owns: the absent record is disabled.
        let next = try target.feed(
            targetID, "refresh",
            [
                FeedScenario.header, "testcourse1|testPerson1|Student", "testcourse1|testPerson2|Student",
                "testcourse2|testPerson3|Student", "testcourse2|testPerson4|Student",
            ])
        #expect(next["run"] as? Int == (first["run"] as? Int ?? 0) + 1)
        #expect(FeedScenario.totals(next)["unchanged"] == 4)
        #expect(FeedScenario.totals(next)["disabled"] == 1)
        #expect(!(try target.memberships(targetID)).contains("testcourse2|testPerson1"))
        #expect(
            try target.sql(
                targetID, "SELECT first_seen FROM transfert_feed_membership WHERE person_key = 'testPerson3'")
                == firstSeen)
    }

    /// A cross-listed set: by default the enabled membership moves; `cross_listing: refuse` fails the row.
    @Test func crossListedCourseSetMovesOrRefuses() throws {
        let workspace = try Workspace()
        let scenario = try hosting(workspace)
        try scenario.addTestCoursesAndPersons(baseID: 1)
        try workspace.succeed(
            ["feed", "course-set", "--id", "1", "--set", "MATH", "testcourse1", "testcourse2"], hosting: "hosting")
        _ = try scenario.feed(1, "store", [FeedScenario.header, "testcourse1|testPerson1|Student"])
        var report = try scenario.feed(1, "store", [FeedScenario.header, "testcourse2|testPerson1|Student"])
        #expect(FeedScenario.kinds(report) == ["moved", "created"])
        #expect(try scenario.memberships(1) == ["testcourse2|testPerson1"])
        let config = workspace.path("hosting/transfert.yaml")
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try (text + "\nfeeds:\n  cross_listing: refuse\n").write(toFile: config, atomically: true, encoding: .utf8)
        report = try scenario.feed(1, "store", [FeedScenario.header, "testcourse1|testPerson1|Student"], expect: 3)
        #expect(FeedScenario.kinds(report) == ["failed"])
        #expect(try scenario.memberships(1) == ["testcourse2|testPerson1"])
    }

    /// Bad files: each refused with its line, nothing applied; a dry run applies nothing; purge keeps
    /// enabled records.
    @Test func badFilesAreRefusedWholeAndDryRunsApplyNothing() throws {
        let workspace = try Workspace()
        let scenario = try hosting(workspace)
        try scenario.addTestCoursesAndPersons(baseID: 1)
        let cases: [(String, [UInt8], String)] = [
            (
                "semicolons", Array("EXTERNAL_COURSE_KEY;EXTERNAL_PERSON_KEY\ntestcourse1;testPerson1\n".utf8),
                "feed.header"
            ),
            ("no person", Array("EXTERNAL_COURSE_KEY|ROLE\ntestcourse1|Student\n".utf8), "feed.header"),
            ("unknown column", Array("EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|COLOUR\na|b|c\n".utf8), "feed.header"),
            (
                "duplicate",
                Array(
                    "EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY\ntestcourse1|testPerson1\ntestcourse1|testPerson1\n".utf8),
                "feed.duplicate_record"
            ),
            (
                "bad UTF-8",
                Array("EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY\ntestcourse1|testPerson1\ntestcourse1|x".utf8) + [
                    0xC3, 0x28, 0x0A,
                ], "feed.malformed"
            ),
            ("UTF-16", [0xFF, 0xFE] + Array("E".utf8), "feed.malformed"),
            (
                "huge line",
                Array("EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY\n".utf8) + Array(repeating: 0x61, count: 200_000),
                "feed.malformed"
            ),
            ("empty", [], "feed.empty"),
        ]
        for (name, bytes, code) in cases {
            let file = workspace.path("bad-\(name.replacingOccurrences(of: " ", with: "-")).txt")
            FileManager.default.createFile(atPath: file, contents: Data(bytes))
            let result = try workspace.transfert(
                ["feed", "membership", "--id", "1", "--operation", "store", "--json", file], hosting: "hosting")
            #expect(result.status == 1, "\(name): \(result.transcript)")
            #expect(result.stdout.contains(code), "\(name): \(result.transcript)")
            #expect(try scenario.memberships(1) == [], "\(name)")
        }
        // BOM and CRLF are read as they are meant.
        let crlf = workspace.path("crlf.txt")
        FileManager.default.createFile(
            atPath: crlf,
            contents: Data(
                [0xEF, 0xBB, 0xBF]
                    + Array("EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY\r\ntestcourse1|testPerson1\r\n".utf8)))
        let dry = try workspace.transfert(
            ["feed", "membership", "--id", "1", "--operation", "store", "--dry-run", crlf], hosting: "hosting")
        #expect(dry.status == 0 && dry.stdout.contains("Dry run"), "\(dry.transcript)")
        #expect(try scenario.memberships(1) == [])
        try workspace.succeed(["feed", "membership", "--id", "1", "--operation", "store", crlf], hosting: "hosting")
        #expect(try scenario.memberships(1) == ["testcourse1|testPerson1"])
        // Purge: a disabled record past retention goes, an enabled one stays.
        _ = try scenario.feed(
            1, "store",
            [
                "EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|ROW_STATUS", "testcourse1|testPerson1|enabled",
                "testcourse2|testPerson2|disabled",
            ])
        _ = try scenario.sql(
            1,
            "UPDATE transfert_feed_membership SET disabled_at = '2020-01-01T00:00:00Z' WHERE person_key = 'testPerson2'"
        )
        let purged = try workspace.succeed(["feed", "purge", "--id", "1", "--older-than", "365d"], hosting: "hosting")
        #expect(purged.stdout.contains("1 disabled record(s)"), "\(purged.transcript)")
        #expect(try scenario.state(1) == ["testcourse1|testPerson1|sis|sis|enabled|1"])
        let shown = try workspace.succeed(
            ["feed", "show", "--id", "1", "--person", "testPerson1", "--json"], hosting: "hosting")
        #expect(shown.stdout.contains("\"data_source\" : \"sis\""), "\(shown.transcript)")
    }

    /// A locked establishment (an export for a move, a webmaster's lock) is not fed: refused, nothing applied.
    @Test func aLockedEstablishmentIsNotFed() throws {
        let workspace = try Workspace()
        let scenario = try hosting(workspace)
        try scenario.addTestCoursesAndPersons(baseID: 1)
        try workspace.succeed(["lock", "add", "--ids", "1", "--reason", "Transfert en cours"])
        let report = try scenario.feed(
            1, "store", [FeedScenario.header, "testcourse1|testPerson1|Student"], expect: 1)
        #expect("\(report["error"] ?? "")".contains("feed.refused"), "\(report)")
        #expect(try scenario.memberships(1) == [])
        try workspace.succeed(["lock", "release", "--ids", "1", "--yes"])
        _ = try scenario.feed(1, "store", [FeedScenario.header, "testcourse1|testPerson1|Student"])
        #expect(try scenario.memberships(1) == ["testcourse1|testPerson1"])
    }

    /// An anonymised copy: the feed's person keys get the same pseudonyms as the users' logins, so the
    /// feed's records still name the copy's users.
    @Test func anAnonymisedCopyGivesPersonKeysTheLoginsPseudonyms() throws {
        let workspace = try Workspace()
        let scenario = try hosting(workspace)
        try scenario.addTestCoursesAndPersons(baseID: 1)
        _ = try scenario.feed(
            1, "store",
            [FeedScenario.header, "testcourse1|testPerson1|Student", "testcourse2|testPerson2|Student"])
        try workspace.succeed(["export", "--ids", "1", "--anonymise", "--out", workspace.path("anon")])
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path("anon"))
        let zip = workspace.path("anon/" + (try #require(names.first { $0.hasSuffix(".zip") })))
        try workspace.initHosting("copy", name: "serveur-c", baseURL: "https://c.example.org/sacoche/")
        try workspace.succeed(["zone", "add", "Académie de Besançon"], hosting: "copy")
        try workspace.succeed(["import", "--as-copy", String(zip.dropLast(4)) + ".csv", zip], hosting: "copy")
        let copy = "copy/bases/base_1.sqlite"
        #expect(try workspace.sqlite(copy, "SELECT COUNT(*) FROM transfert_feed_membership") == "2")
        #expect(
            try workspace.sqlite(
                copy, "SELECT COUNT(*) FROM transfert_feed_membership WHERE person_key LIKE 'testPerson%'") == "0")
        #expect(
            try workspace.sqlite(
                copy, "SELECT COUNT(*) FROM transfert_feed_membership f JOIN users u ON u.login = f.person_key")
                == "2")
    }

    /// SACoche's profile: the feed writes sacoche_jointure_user_groupe, and `export --format sacoche` leaves
    /// the feed's state out and says so.
    @Test func onASACocheHostingTheSACocheExportSaysTheFeedsStateIsLeftOut() throws {
        let workspace = try Workspace()
        try workspace.initHosting(profile: "Samples/sacoche-profile.yaml")
        try workspace.succeed(["sample", "--structures", "1", "--students", "10", "--seed", "4"])
        let base = "hosting/bases/base_1.sqlite"
        // A new group, as SACoche's administrator would make it, and a student.
        _ = try workspace.sqlite(
            base,
            "INSERT INTO sacoche_groupe (groupe_id, groupe_type, groupe_ref, groupe_nom) VALUES (900, 'groupe', 'FEED', 'feed-group')"
        )
        let (groupID, group) = ("900", "feed-group")
        let login = try workspace.sqlite(
            base, "SELECT user_login FROM sacoche_user WHERE user_profil_sigle = 'ELV' ORDER BY user_id LIMIT 1")
        let file = workspace.path("sacoche-feed.txt")
        try "EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|ROLE\n\(group)|\(login)|Student\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        let fed = try workspace.succeed(["feed", "membership", "--id", "1", "--operation", "store", file])
        #expect(fed.stdout.contains("1 created"), "\(fed.transcript)")
        #expect(
            try workspace.sqlite(
                base,
                "SELECT COUNT(*) FROM sacoche_jointure_user_groupe j JOIN sacoche_user u ON u.user_id = j.user_id WHERE j.groupe_id = \(groupID) AND u.user_login = '\(login)'"
            ) == "1")
        let exported = try workspace.succeed([
            "export", "--format", "sacoche", "--ids", "1", "--out", workspace.path("sacoche"),
        ])
        #expect(
            exported.stdout.contains("transfert_feed_membership (the SIS feed's state) is left out"),
            "\(exported.transcript)")
    }
}
