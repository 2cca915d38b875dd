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
}
