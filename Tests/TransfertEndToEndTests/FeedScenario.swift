import Foundation
import Testing

/// The examples of Blackboard's SIS documentation (issue #27, "Done when"), replayed against one hosting
/// through the real binary and checked in the establishment's database with the backend's own client
/// (sqlite3 or mariadb): the SQLite and MariaDB suites run the same scenario.
struct FeedScenario {
    let workspace: Workspace
    let hosting: String
    /// Runs one SQL text in establishment `baseID` with the independent client; rows with `|` between
    /// columns.
    let sql: (_ baseID: Int, _ text: String) throws -> [String]

    /// Two courses and four persons the examples name, added with the client (not through Transfert).
    func addTestCoursesAndPersons(baseID: Int) throws {
        _ = try sql(
            baseID,
            """
            INSERT INTO user_groups (id, kind, level, name) VALUES (9001, 'class', NULL, 'testcourse1'),
              (9002, 'class', NULL, 'testcourse2');
            INSERT INTO users (id, profile, last_name, first_name, login, email, password_hash) VALUES
              (9001, 'student', 'Un', 'Test', 'testPerson1', NULL, 'x'), (9002, 'student', 'Deux', 'Test', 'testPerson2', NULL, 'x'),
              (9003, 'student', 'Trois', 'Test', 'testPerson3', NULL, 'x'), (9004, 'student', 'Quatre', 'Test', 'testPerson4', NULL, 'x'),
              (9005, 'staff', 'Prof', 'Test', 'testTeacher', NULL, 'x');
            """)
    }

    /// The application's memberships of the test courses, `course|person`.
    func memberships(_ baseID: Int) throws -> [String] {
        try sql(
            baseID,
            """
            SELECT g.name, u.login FROM memberships m JOIN user_groups g ON g.id = m.group_id
            JOIN users u ON u.id = m.user_id WHERE g.name LIKE 'testcourse%' ORDER BY g.name, u.login
            """)
    }

    /// The feed's state of the test courses, `course|person|integration|data source|status|available`.
    func state(_ baseID: Int) throws -> [String] {
        try sql(
            baseID,
            """
            SELECT course_key, person_key, integration, data_source, row_status, available FROM transfert_feed_membership
            WHERE course_key LIKE 'testcourse%' ORDER BY course_key, person_key
            """)
    }

    /// Writes `lines` as a snapshot flat file and runs `feed membership` with it.
    @discardableResult
    func feed(
        _ baseID: Int, _ operation: String, _ lines: [String], extra: [String] = [], expect status: Int32 = 0,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String: Any] {
        let file = workspace.path("feed-\(UUID().uuidString.prefix(8)).txt")
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try workspace.transfert(
            ["feed", "membership", "--id", String(baseID), "--operation", operation, "--json"] + extra + [file],
            hosting: hosting)
        #expect(result.status == status, "\(result.transcript)", sourceLocation: sourceLocation)
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    static func totals(_ report: [String: Any]) -> [String: Int] {
        (report["totals"] as? [String: Int]) ?? [:]
    }

    static func kinds(_ report: [String: Any]) -> [String] {
        ((report["rows"] as? [[String: Any]]) ?? []).map { "\($0["kind"] ?? "")" }
    }

    static let header = "EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|ROLE"
    static let both = "EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|ROLE|AVAILABLE_IND|ROW_STATUS"

    /// Create; update with an explicit disable; the same file twice; availability N then absent (Y);
    /// disable via ROW_STATUS (overriding AVAILABLE_IND=Y); complete refresh; the mass-disable guard;
    /// an empty file; a per-row failure beside applied rows.
    func storyOnOneEstablishment(baseID: Int) throws {
        try addTestCoursesAndPersons(baseID: baseID)
        // Create.
        var report = try feed(
            baseID, "store",
            [
                Self.header, "testcourse1|testPerson1|Student", "testcourse2|testPerson2|Student",
                "testcourse2|testPerson3|Student", "testcourse1|testPerson4|Student",
            ])
        #expect(Self.totals(report)["created"] == 4)
        #expect(
            try memberships(baseID) == [
                "testcourse1|testPerson1", "testcourse1|testPerson4", "testcourse2|testPerson2",
                "testcourse2|testPerson3",
            ])
        // Update: person 3 belongs in course 1, not 2: the old membership is disabled explicitly.
        let correction = [
            "EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|ROW_STATUS", "testcourse2|testPerson3|disabled",
            "testcourse1|testPerson3|enabled",
        ]
        report = try feed(baseID, "store", correction)
        #expect(Self.kinds(report) == ["disabled", "created"])
        #expect(
            try memberships(baseID) == [
                "testcourse1|testPerson1", "testcourse1|testPerson3", "testcourse1|testPerson4",
                "testcourse2|testPerson2",
            ])
        // The same file twice: everything unchanged, nothing changes.
        let before = try memberships(baseID)
        report = try feed(baseID, "store", correction)
        #expect(Self.kinds(report) == ["unchanged", "unchanged"])
        #expect(try memberships(baseID) == before)
        // Availability is not status: N hides the membership, the record stays enabled.
        report = try feed(
            baseID, "store", ["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY|AVAILABLE_IND", "testcourse1|testPerson1|N"])
        #expect(Self.kinds(report) == ["updated"])
        #expect(!(try memberships(baseID)).contains("testcourse1|testPerson1"))
        #expect(try state(baseID).contains("testcourse1|testPerson1|sis|sis|enabled|0"))
        // Absent AVAILABLE_IND means available on update.
        report = try feed(baseID, "store", ["EXTERNAL_COURSE_KEY|EXTERNAL_PERSON_KEY", "testcourse1|testPerson1"])
        #expect(Self.kinds(report) == ["updated"])
        #expect(try memberships(baseID).contains("testcourse1|testPerson1"))
        // Disabled via ROW_STATUS (any case) overrides AVAILABLE_IND=Y.
        report = try feed(baseID, "store", [Self.both, "testcourse2|testPerson2|Student|Y|DISABLED"])
        #expect(Self.kinds(report) == ["disabled"])
        #expect(!(try memberships(baseID)).contains("testcourse2|testPerson2"))
        // A row that fails (course missing, unknown ROW_STATUS, a role the person does not have) beside one
        // that applies: exit 3, the good row applied.
        report = try feed(
            baseID, "store",
            [
                Self.both, "nocourse|testPerson1|Student||", "testcourse2|testPerson4|Student||maybe",
                "testcourse2|testTeacher|Student||", "testcourse2|testPerson1|Student|Y|enabled",
            ], expect: 3)
        #expect(Self.kinds(report) == ["failed", "failed", "failed", "created"])
        let failed = ((report["rows"] as? [[String: Any]]) ?? []).filter { "\($0["kind"] ?? "")" == "failed" }
        #expect(
            failed.map { "\($0["line"] ?? "")|\($0["field"] ?? "")" } == [
                "2|EXTERNAL_COURSE_KEY", "3|ROW_STATUS", "4|ROLE",
            ])
        #expect(try memberships(baseID).contains("testcourse2|testPerson1"))
        // Enabled now: p1@c1, p3@c1, p4@c1, p1@c2. A refresh stating only one would disable 3 of 4: refused,
        // nothing applied.
        let stateBefore = try state(baseID)
        let membershipsBefore = try memberships(baseID)
        report = try feed(baseID, "refresh", [Self.header, "testcourse1|testPerson1|Student"], expect: 1)
        #expect("\(report["error"] ?? "")".contains("feed.mass_disable"))
        #expect(try state(baseID) == stateBefore)
        #expect(try memberships(baseID) == membershipsBefore)
        // An empty file (header only) and a wrong header never disable anything.
        report = try feed(baseID, "refresh", [Self.header])
        #expect(Self.totals(report)["disabled"] == 0)
        _ = try feed(baseID, "refresh", ["EXTERNAL_COURSE_KEY,EXTERNAL_PERSON_KEY"], expect: 1)
        #expect(try memberships(baseID) == membershipsBefore)
        // Complete refresh, allowed: the file is the whole truth.
        report = try feed(
            baseID, "refresh", [Self.header, "testcourse1|testPerson1|Student"], extra: ["--allow-mass-disable"])
        #expect(Self.totals(report)["disabled"] == 3)
        #expect(Self.totals(report)["unchanged"] == 1)
        #expect(try memberships(baseID) == ["testcourse1|testPerson1"])
        // Delete disables the file's records.
        report = try feed(baseID, "delete", [Self.header, "testcourse1|testPerson1|Student"])
        #expect(Self.kinds(report) == ["disabled"])
        #expect(try memberships(baseID) == [])
    }

    /// The complete example (both AVAILABLE_IND and ROW_STATUS) under store, refresh and refresh by data
    /// source, each on its own establishment with the same history: a record of the integration's data
    /// source absent from the file, one of another data source, and one of a second integration.
    func completeExample(operation: String, baseID: Int) throws {
        try addTestCoursesAndPersons(baseID: baseID)
        _ = try feed(
            baseID, "store", [Self.header, "testcourse2|testPerson3|Student"], extra: ["--data-source", "sis"])
        _ = try feed(
            baseID, "store", [Self.header, "testcourse1|testPerson4|Student"], extra: ["--data-source", "old-source"])
        _ = try feed(
            baseID, "store", [Self.header, "testcourse2|testPerson1|Student"], extra: ["--integration", "other"])
        let report = try feed(
            baseID, operation,
            [
                Self.both, "testcourse1|testPerson1|Student|Y|enabled", "testcourse1|testPerson2|Student|N|enabled",
                "testcourse2|testPerson2|Student|Y|disabled",
            ], extra: ["--data-source", "sis", "--allow-mass-disable"])
        #expect(Self.totals(report)["created"] == 3)
        let state = try state(baseID)
        #expect(state.contains("testcourse1|testPerson1|sis|sis|enabled|1"))
        #expect(state.contains("testcourse1|testPerson2|sis|sis|enabled|0"))
        #expect(state.contains("testcourse2|testPerson2|sis|sis|disabled|1"))
        // The second integration's record is untouched by every operation.
        #expect(state.contains("testcourse2|testPerson1|other|other|enabled|1"))
        var expected = ["testcourse1|testPerson1", "testcourse2|testPerson1"]
        switch operation {
        case "store":
            #expect(Self.totals(report)["disabled"] == 0)
            expected += ["testcourse1|testPerson4", "testcourse2|testPerson3"]
        case "refresh":
            // Both absent records of the integration are disabled, whatever their data source.
            #expect(Self.totals(report)["disabled"] == 2)
            #expect(state.contains("testcourse1|testPerson4|sis|old-source|disabled|1"))
            #expect(state.contains("testcourse2|testPerson3|sis|sis|disabled|1"))
        default:
            // Only the absent record of the run's data source.
            #expect(Self.totals(report)["disabled"] == 1)
            #expect(state.contains("testcourse1|testPerson4|sis|old-source|enabled|1"))
            #expect(state.contains("testcourse2|testPerson3|sis|sis|disabled|1"))
            expected += ["testcourse1|testPerson4"]
        }
        #expect(try memberships(baseID) == expected.sorted())
    }
}
