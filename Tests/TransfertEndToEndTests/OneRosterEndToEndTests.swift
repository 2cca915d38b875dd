import Foundation
import Testing

/// OneRoster 1.1 CSV packages on SQLite hostings (``OneRosterScenario``), checked with sqlite3.
@Suite("OneRoster feeds, end to end (SQLite)", .serialized)
struct OneRosterEndToEndTests {
    @Test func bulkDeltaZIPAndDirectory() throws {
        let workspace = try Workspace()
        let feed = try FeedEndToEndTests().hosting(workspace)
        try OneRosterScenario(feed: feed).story(baseID: 1)
    }

    /// `feeds.oneroster.class_key: title` and `person_key: identifier` in transfert.yaml: the course and
    /// person keys come from those columns.
    @Test func keyColumnsComeFromTheHostingsSettings() throws {
        let workspace = try Workspace()
        let feed = try FeedEndToEndTests().hosting(workspace)
        try feed.addTestCoursesAndPersons(baseID: 1)
        let config = workspace.path("hosting/transfert.yaml")
        let text = try String(contentsOfFile: config, encoding: .utf8)
        try (text + "\nfeeds:\n  oneroster: {class_key: title, person_key: identifier}\n").write(
            toFile: config, atomically: true, encoding: .utf8)
        let scenario = OneRosterScenario(feed: feed)
        let classes = ["sourcedId,title,classCode", "c1,testcourse2,OTHER"]
        let users = ["sourcedId,username,identifier", "u1,someone,testPerson4"]
        let package = try scenario.package("bulk", [OneRosterScenario.enrollment("e1", "c1", "u1")], classes: classes)
        try (users.joined(separator: "\n") + "\n").write(
            toFile: package + "/users.csv", atomically: true, encoding: .utf8)
        let report = try scenario.apply(1, package)
        #expect(FeedScenario.totals(report)["created"] == 1)
        #expect(try feed.memberships(1) == ["testcourse2|testPerson4"])
    }
}
