import Foundation
import Testing
import TransfertTestSupport

/// Issue #27's feeds on PostgreSQL hostings (issue #30): the same examples as on SQLite and MariaDB
/// (``FeedScenario``), checked with psql.
@Suite("SIS feeds on PostgreSQL", .serialized)
struct FeedPostgreSQLTests {
    func hosting(
        _ workspace: Workspace, server: PostgreSQLTestServer, name: String = "pg", sample: Bool = true
    ) throws -> FeedScenario {
        let account = try makePostgreSQLOperator(workspace, server: server)
        let tag = "f\(UUID().uuidString.prefix(6).lowercased())"
        let created = try initPostgreSQL(
            workspace, name, server: server, account: account, registry: "\(tag)_registry", prefix: "\(tag)_")
        #expect(created.status == 0, "\(created.transcript)")
        try workspace.succeed(["zone", "add", "Académie de Besançon"], hosting: name)
        if sample {
            try workspace.succeed(["sample", "--structures", "1", "--students", "10", "--seed", "3"], hosting: name)
        }
        let psql = PSQL(server)
        return FeedScenario(workspace: workspace, hosting: name) { baseID, text in
            let result = try psql.run(text, database: "\(tag)_base_\(baseID)")
            #expect(result.status == 0, "\(text): \(result.output)")
            return result.output.split(separator: "\n").map { $0.replacingOccurrences(of: "\t", with: "|") }
        }
    }

    @Test func blackboardExamplesOnOneEstablishment() throws {
        let server = try PostgreSQLTestServer.shared()
        let workspace = try Workspace()
        try hosting(workspace, server: server).storyOnOneEstablishment(baseID: 1)
    }

    @Test(arguments: ["store", "refresh", "refresh-by-source"])
    func completeExampleWithBothColumns(operation: String) throws {
        let server = try PostgreSQLTestServer.shared()
        let workspace = try Workspace()
        try hosting(workspace, server: server).completeExample(operation: operation, baseID: 1)
    }

    @Test func oneRosterBulkDeltaZIPAndDirectory() throws {
        let server = try PostgreSQLTestServer.shared()
        let workspace = try Workspace()
        try OneRosterScenario(feed: try hosting(workspace, server: server)).story(baseID: 1)
    }
}
