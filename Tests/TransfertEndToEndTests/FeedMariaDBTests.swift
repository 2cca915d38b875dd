import Foundation
import Testing
import TransfertTestSupport

/// Issue #27 on MariaDB hostings: the same examples as on SQLite (``FeedScenario``), checked with the
/// mariadb client.
@Suite("SIS feeds on MariaDB", .serialized)
struct FeedMariaDBTests {
    func hosting(_ workspace: Workspace, server: MariaDBTestServer) throws -> FeedScenario {
        let account = try makeOperator(workspace, server: server)
        let tag = "f\(UUID().uuidString.prefix(6).lowercased())"
        let created = try initMariaDB(
            workspace, "maria", server: server, account: account, registry: "\(tag)_registry", prefix: "\(tag)_")
        #expect(created.status == 0, "\(created.transcript)")
        try workspace.succeed(["zone", "add", "Académie de Besançon"], hosting: "maria")
        try workspace.succeed(["sample", "--structures", "1", "--students", "10", "--seed", "3"], hosting: "maria")
        return FeedScenario(workspace: workspace, hosting: "maria") { baseID, text in
            let result = try server.client(text, database: "\(tag)_base_\(baseID)")
            #expect(result.status == 0, "\(text): \(result.output)")
            return result.output.split(separator: "\n").map { $0.replacingOccurrences(of: "\t", with: "|") }
        }
    }

    @Test func blackboardExamplesOnOneEstablishment() throws {
        let server = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        try hosting(workspace, server: server).storyOnOneEstablishment(baseID: 1)
    }

    @Test(arguments: ["store", "refresh", "refresh-by-source"])
    func completeExampleWithBothColumns(operation: String) throws {
        let server = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        try hosting(workspace, server: server).completeExample(operation: operation, baseID: 1)
    }
}
