import Foundation
import Testing
import TransfertTestSupport

/// Issue #27 on MariaDB hostings: the same examples as on SQLite (``FeedScenario``), checked with the
/// mariadb client.
@Suite("SIS feeds on MariaDB", .serialized)
struct FeedMariaDBTests {
    func hosting(
        _ workspace: Workspace, server: MariaDBTestServer, name: String = "maria", sample: Bool = true
    ) throws -> FeedScenario {
        let account = try makeOperator(workspace, server: server)
        let tag = "f\(UUID().uuidString.prefix(6).lowercased())"
        let created = try initMariaDB(
            workspace, name, server: server, account: account, registry: "\(tag)_registry", prefix: "\(tag)_")
        #expect(created.status == 0, "\(created.transcript)")
        try workspace.succeed(["zone", "add", "Académie de Besançon"], hosting: name)
        if sample {
            try workspace.succeed(["sample", "--structures", "1", "--students", "10", "--seed", "3"], hosting: name)
        }
        return FeedScenario(workspace: workspace, hosting: name) { baseID, text in
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

    /// A move in the middle of a feed history between two MariaDB hostings: the target continues it.
    @Test func aMoveInTheMiddleOfAFeedHistoryContinuesOnTheTarget() throws {
        let server = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        let source = try hosting(workspace, server: server)
        try source.addTestCoursesAndPersons(baseID: 1)
        let first = try source.feed(
            1, "store",
            [
                FeedScenario.header, "testcourse1|testPerson1|Student", "testcourse1|testPerson2|Student",
                "testcourse2|testPerson3|Student", "testcourse2|testPerson4|Student", "testcourse2|testPerson1|Student",
            ])
        try workspace.succeed(["export", "--ids", "1", "--out", workspace.path("out")], hosting: "maria")
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path("out"))
        let zip = workspace.path("out/" + (try #require(names.first { $0.hasSuffix(".zip") })))
        let csv = String(zip.dropLast(4)) + ".csv"
        let verified = try workspace.succeed(["verify", "--deep", csv, zip], hosting: "maria")
        #expect(verified.stdout.contains("VERIFIED (deep)"), "\(verified.transcript)")
        let target = try hosting(workspace, server: server, name: "target", sample: false)
        let imported = try workspace.succeed(["import", csv, zip], hosting: "target")
        #expect(!imported.stdout.contains("transfert_feed"), "\(imported.transcript)")
        #expect(try target.state(1) == source.state(1))
        let next = try target.feed(
            1, "refresh",
            [
                FeedScenario.header, "testcourse1|testPerson1|Student", "testcourse1|testPerson2|Student",
                "testcourse2|testPerson3|Student", "testcourse2|testPerson4|Student",
            ])
        #expect(next["run"] as? Int == (first["run"] as? Int ?? 0) + 1)
        #expect(FeedScenario.totals(next)["unchanged"] == 4)
        #expect(FeedScenario.totals(next)["disabled"] == 1)
        #expect(!(try target.memberships(1)).contains("testcourse2|testPerson1"))
    }
}
