import Foundation
import Testing
import TransfertTestSupport

/// A feed run that rolls back (a dry run, the mass-disable guard tripping) leaves the application's
/// membership table as it was, on every engine: on MariaDB SACoche's `sacoche_jointure_user_groupe` is
/// MyISAM, which a ROLLBACK does not undo, so the feed writes it only as the last step of a run that
/// commits. Checked with the sqlite3 and mariadb clients.
@Suite("SIS feeds: the application's table after a rolled-back run", .serialized)
struct FeedApplicationTableRollbackTests {
    /// One SACoche hosting, as the story needs it: runs a query on establishment 1 (one line per row,
    /// fields joined by `|`).
    struct SACocheBase {
        var workspace: Workspace
        var hosting: String
        var query: (String) throws -> String
    }

    @Test func onSQLite() throws {
        let workspace = try Workspace()
        try workspace.initHosting(profile: "Samples/sacoche-profile.yaml")
        try workspace.succeed(["sample", "--structures", "1", "--students", "10", "--seed", "4"])
        try story(
            SACocheBase(workspace: workspace, hosting: "hosting") {
                try workspace.sqlite("hosting/bases/base_1.sqlite", $0)
            })
    }

    @Test func onMariaDBWhereTheTableIsMyISAM() throws {
        let server = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        let account = try makeOperator(workspace, server: server)
        let tag = "r\(UUID().uuidString.prefix(6).lowercased())"
        let created = try initMariaDB(
            workspace, "maria", server: server, account: account, registry: "\(tag)_registry", prefix: "\(tag)_",
            profile: "Samples/sacoche-profile.yaml")
        #expect(created.status == 0, "\(created.transcript)")
        try workspace.succeed(["zone", "add", "Académie de Besançon"], hosting: "maria")
        try workspace.succeed(["sample", "--structures", "1", "--students", "10", "--seed", "4"], hosting: "maria")
        let base = SACocheBase(workspace: workspace, hosting: "maria") { text in
            let result = try server.client(text, database: "\(tag)_base_1")
            #expect(result.status == 0, "\(text): \(result.output)")
            return result.output.split(separator: "\n").map { $0.replacingOccurrences(of: "\t", with: "|") }
                .joined(separator: "\n")
        }
        // The case this guards: the table does not roll back.
        #expect(
            try base.query(
                "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'sacoche_jointure_user_groupe'"
            ) == "MyISAM")
        try story(base)
        try failureOfTheLastStep(base)
    }

    /// The last step itself fails half-way on the MyISAM table (a trigger refuses the second row): the error
    /// says how many rows stayed and what to do, and the same file run again brings the table in step.
    func failureOfTheLastStep(_ base: SACocheBase) throws {
        _ = try base.query(
            "INSERT INTO sacoche_groupe (groupe_id, groupe_type, groupe_ref, groupe_nom) VALUES (901, 'groupe', 'FEED2', 'feed-group-2')"
        )
        let people = try base.query(
            "SELECT user_id, user_login FROM sacoche_user WHERE user_profil_sigle = 'ELV' ORDER BY user_id LIMIT 2"
        ).split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        try #require(people.count == 2 && people.allSatisfy { $0.count == 2 })
        // A subquery of two rows is an error, written without a `;` the client would split on.
        _ = try base.query(
            "CREATE TRIGGER feed_test_refuse BEFORE INSERT ON sacoche_jointure_user_groupe FOR EACH ROW SET NEW.jointure_pp = IF(NEW.groupe_id = 901 AND NEW.user_id = \(people[1][0]), (SELECT 1 UNION SELECT 2), NEW.jointure_pp)"
        )
        let file = base.workspace.path("feed-group-2.txt")
        try "EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY\nfeed-group-2|\(people[0][1])\nfeed-group-2|\(people[1][1])\n"
            .write(
                toFile: file, atomically: true, encoding: .utf8)
        let arguments = ["feed", "membership", "--id", "1", "--operation", "store", file]
        let failed = try base.workspace.transfert(arguments, hosting: base.hosting)
        #expect(failed.status != 0, "\(failed.transcript)")
        #expect(
            failed.stderr.contains("after 1 of its rows were changed") && failed.stderr.contains("is MyISAM")
                && failed.stderr.contains("run the same file again"), "\(failed.transcript)")
        let group = "SELECT user_id FROM sacoche_jointure_user_groupe WHERE groupe_id = 901 ORDER BY user_id"
        #expect(try base.query(group) == people[0][0])
        _ = try base.query("DROP TRIGGER feed_test_refuse")
        let again = try base.workspace.transfert(arguments, hosting: base.hosting)
        #expect(again.status == 0 && again.stdout.contains("2 created"), "\(again.transcript)")
        #expect(try base.query(group) == "\(people[0][0])\n\(people[1][0])")
    }

    /// Five memberships stored; then a dry run and a guard-tripping refresh, each of which would add one
    /// and remove four, leave the table byte-identical; the same refresh allowed applies them.
    func story(_ base: SACocheBase) throws {
        let workspace = base.workspace
        _ = try base.query(
            "INSERT INTO sacoche_groupe (groupe_id, groupe_type, groupe_ref, groupe_nom) VALUES (900, 'groupe', 'FEED', 'feed-group')"
        )
        let logins = try base.query(
            "SELECT user_login FROM sacoche_user WHERE user_profil_sigle = 'ELV' ORDER BY user_id LIMIT 6"
        ).split(separator: "\n").map(String.init)
        try #require(logins.count == 6)
        let table =
            "SELECT user_id, groupe_id, jointure_pp FROM sacoche_jointure_user_groupe ORDER BY user_id, groupe_id"
        func members() throws -> [String] {
            try base.query(
                "SELECT u.user_login FROM sacoche_jointure_user_groupe j JOIN sacoche_user u ON u.user_id = j.user_id WHERE j.groupe_id = 900 ORDER BY u.user_login"
            ).split(separator: "\n").map(String.init)
        }
        func feed(_ operation: String, _ people: [String], _ extra: [String] = []) throws -> ProcessResult {
            let file = workspace.path("feed-\(UUID().uuidString.prefix(6)).txt")
            try (["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|ROLE"] + people.map { "feed-group|\($0)|Student" })
                .joined(separator: "\n").appending("\n").write(toFile: file, atomically: true, encoding: .utf8)
            return try workspace.transfert(
                ["feed", "membership", "--id", "1", "--operation", operation] + extra + [file], hosting: base.hosting)
        }
        let stored = try feed("store", Array(logins[0..<5]))
        #expect(stored.status == 0 && stored.stdout.contains("5 created"), "\(stored.transcript)")
        #expect(try members() == logins[0..<5].sorted())
        let before = try base.query(table)

        // Keeps one of the five and adds the sixth: 4 of 5 disabled, 1 created.
        let next = [logins[0], logins[5]]
        let dry = try feed("refresh", next, ["--dry-run", "--allow-mass-disable"])
        #expect(
            dry.status == 0 && dry.stdout.contains("1 created") && dry.stdout.contains("4 disabled"),
            "\(dry.transcript)")
        #expect(try base.query(table) == before)

        let tripped = try feed("refresh", next)
        #expect(tripped.status != 0 && tripped.stderr.contains("nothing was applied"), "\(tripped.transcript)")
        #expect(try base.query(table) == before)

        let applied = try feed("refresh", next, ["--allow-mass-disable"])
        #expect(applied.status == 0, "\(applied.transcript)")
        #expect(try members() == next.sorted())
    }
}
