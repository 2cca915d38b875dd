import Foundation
import Testing
import TransfertTestSupport

/// OneRoster 1.1 CSV packages on MariaDB hostings (``OneRosterScenario``), checked with the mariadb client.
@Suite("OneRoster feeds on MariaDB", .serialized)
struct OneRosterMariaDBTests {
    @Test func bulkDeltaZIPAndDirectory() throws {
        let server = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        let feed = try FeedMariaDBTests().hosting(workspace, server: server)
        try OneRosterScenario(feed: feed).story(baseID: 1)
    }
}
