import Foundation
import Testing

/// Issue #27's OneRoster 1.1 CSV part, replayed through the real binary on one hosting and checked with
/// the backend's own client (through ``FeedScenario``): bulk packages as complete refreshes (a directory,
/// then a ZIP written by python3's zipfile), the mass-disable guard, a delta applied in
/// `dateLastModified` order, a row naming an absent class, and a package refused whole.
struct OneRosterScenario {
    let feed: FeedScenario
    var workspace: Workspace { feed.workspace }

    static let manifestHeader = "propertyName,value"
    static let enrollmentsHeader =
        "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate"

    static func manifest(_ enrollments: String) -> [String] {
        [
            manifestHeader, "manifest.version,1.0", "oneroster.version,1.1", "file.academicSessions,absent",
            "file.classes,bulk", "file.enrollments,\(enrollments)", "file.users,bulk", "source.systemName,Test SIS",
        ]
    }

    /// Class sourcedIds c1/c2 are the test courses by classCode; the title holds a quoted comma.
    static let classes = [
        "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
        "c1,,,\"Maths, 6e A\",06,k1,testcourse1,scheduled,,s1,t1,,,",
        "c2,,,\"Français, 6e A\",06,k2,testcourse2,scheduled,,s1,t1,,,",
    ]

    static let users = [
        "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password",
        "u1,,,true,s1,student,testPerson1,,Test,Un,,ID1,,,,,06,",
        "u2,,,true,s1,student,testPerson2,,Test,Deux,,ID2,,,,,06,",
        "u3,,,true,s1,student,testPerson3,,Test,Trois,,ID3,,,,,06,",
        "u4,,,true,s1,student,testPerson4,,Test,Quatre,,ID4,,,,,06,",
        "t1,,,true,s1,teacher,testTeacher,,Test,Prof,,ID5,,,,,,",
    ]

    /// Writes a package as a directory (with CRLF line ends and a BOM on enrollments.csv, as spreadsheet
    /// exports write them) and returns its path.
    func package(_ enrollments: String, _ rows: [String], classes: [String] = Self.classes) throws -> String {
        let directory = workspace.path("oneroster-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func write(_ name: String, _ lines: [String], crlf: Bool = false) throws {
            let text = lines.joined(separator: crlf ? "\r\n" : "\n") + (crlf ? "\r\n" : "\n")
            try Data(((crlf ? "\u{FEFF}" : "") + text).utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
        try write("manifest.csv", Self.manifest(enrollments))
        try write("classes.csv", classes)
        try write("users.csv", Self.users)
        try write("enrollments.csv", [Self.enrollmentsHeader] + rows, crlf: true)
        return directory
    }

    /// The same package as a ZIP, written by python3's zipfile (deflated).
    /// `twice` names an entry written a second time (a hostile archive: which copy is read?).
    func zip(_ directory: String, twice: String = "") throws -> String {
        let python = try #require(which("python3"), "python3 must be installed")
        let zip = directory + ".zip"
        let made = try run(
            python,
            [
                "-c",
                "import sys, zipfile, os\nwith zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:\n    for n in sorted(os.listdir(sys.argv[1])): z.write(os.path.join(sys.argv[1], n), n)\n    if sys.argv[3]: z.write(os.path.join(sys.argv[1], sys.argv[3]), sys.argv[3])",
                directory, zip, twice,
            ])
        #expect(made.status == 0, "\(made.transcript)")
        return zip
    }

    @discardableResult
    func apply(
        _ baseID: Int, _ path: String, extra: [String] = [], expect status: Int32 = 0,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [String: Any] {
        let result = try workspace.transfert(
            ["feed", "membership", "--id", String(baseID), "--format", "oneroster", "--json"] + extra + [path],
            hosting: feed.hosting)
        #expect(result.status == status, "\(result.transcript)", sourceLocation: sourceLocation)
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    static func enrollment(
        _ id: String, _ klass: String, _ user: String, _ role: String = "student",
        status: String = "", modified: String = ""
    ) -> String {
        "\(id),\(status),\(modified),\(klass),s1,\(user),\(role),false,2026-09-01,2027-07-04"
    }

    func story(baseID: Int) throws {
        try feed.addTestCoursesAndPersons(baseID: baseID)
        let all = [
            Self.enrollment("e1", "c1", "u1"), Self.enrollment("e2", "c1", "u2"), Self.enrollment("e3", "c2", "u3"),
            Self.enrollment("e4", "c2", "u4"), Self.enrollment("e5", "c1", "t1", "teacher"),
        ]
        // Bulk, from a directory: every enrollment created, roles mapped through the profile.
        var report = try apply(baseID, try package("bulk", all))
        #expect(report["operation"] as? String == "refresh")
        #expect(FeedScenario.totals(report)["created"] == 5)
        #expect(
            try feed.memberships(baseID) == [
                "testcourse1|testPerson1", "testcourse1|testPerson2", "testcourse1|testTeacher",
                "testcourse2|testPerson3", "testcourse2|testPerson4",
            ])
        #expect(try feed.state(baseID).contains("testcourse1|testTeacher|sis|sis|enabled|1"))
        // A second bulk, as a ZIP, without e4: the file is the whole truth, e4 is disabled (1 of 5, 20 %).
        report = try apply(baseID, try zip(try package("bulk", all.filter { !$0.hasPrefix("e4,") })))
        #expect(FeedScenario.totals(report)["disabled"] == 1)
        #expect(FeedScenario.totals(report)["unchanged"] == 4)
        #expect(try feed.state(baseID).contains("testcourse2|testPerson4|sis|sis|disabled|1"))
        #expect(!(try feed.memberships(baseID)).contains("testcourse2|testPerson4"))
        // A bulk that keeps one enrollment of four: the guard trips, nothing is applied.
        let before = try feed.state(baseID)
        report = try apply(baseID, try package("bulk", [all[0]]), expect: 1)
        #expect("\(report["error"] ?? "")".contains("feed.mass_disable"))
        #expect(try feed.state(baseID) == before)
        // A delta, rows out of date order: line 2 (the later) disables e3, line 3 (the earlier) enables e4
        // again; outcomes come in dateLastModified order.
        report = try apply(
            baseID,
            try package(
                "delta",
                [
                    Self.enrollment("e3", "c2", "u3", status: "tobedeleted", modified: "2026-10-02T10:00:00+02:00"),
                    Self.enrollment("e4", "c2", "u4", status: "active", modified: "2026-10-02T07:30:00Z"),
                ]))
        let rows = (report["rows"] as? [[String: Any]]) ?? []
        #expect(rows.map { "\($0["line"] ?? "")|\($0["kind"] ?? "")" } == ["3|updated", "2|disabled"])
        #expect(
            try feed.memberships(baseID) == [
                "testcourse1|testPerson1", "testcourse1|testPerson2", "testcourse1|testTeacher",
                "testcourse2|testPerson4",
            ])
        #expect(try feed.state(baseID).contains("testcourse2|testPerson3|sis|sis|disabled|1"))
        // A delta row naming a class classes.csv lacks fails with its line and field; the other applies.
        report = try apply(
            baseID,
            try package(
                "delta",
                [
                    Self.enrollment("e7", "c9", "u3", status: "active", modified: "2026-10-03T08:00:00Z"),
                    Self.enrollment("e3", "c2", "u3", status: "active", modified: "2026-10-03T09:00:00Z"),
                ]), expect: 3)
        let failed = ((report["rows"] as? [[String: Any]]) ?? []).filter { "\($0["kind"] ?? "")" == "failed" }
        #expect(
            failed.map { "\($0["line"] ?? "")|\($0["field"] ?? "")|\($0["value"] ?? "")" } == ["2|classSourcedId|c9"])
        #expect(try feed.memberships(baseID).contains("testcourse2|testPerson3"))
        // Refused whole: a duplicate sourcedId, an unknown manifest value. Nothing changes.
        let now = try feed.state(baseID)
        report = try apply(baseID, try package("delta", [all[0], all[0]]), expect: 1)
        #expect("\(report["error"] ?? "")".contains("enrollments.csv"))
        #expect(try feed.state(baseID) == now)
        // A ZIP with two manifest.csv entries, and a file that is no ZIP: refused, nothing applied.
        report = try apply(baseID, try zip(try package("bulk", all), twice: "manifest.csv"), expect: 1)
        #expect("\(report["error"] ?? "")".contains("ambiguous"))
        let notZIP = workspace.path("not-a-package.zip")
        try "propertyName,value\n".write(toFile: notZIP, atomically: true, encoding: .utf8)
        report = try apply(baseID, notZIP, expect: 1)
        #expect("\(report["error"] ?? "")".contains("neither a directory nor a readable ZIP"))
        #expect(try feed.state(baseID) == now)
    }
}
