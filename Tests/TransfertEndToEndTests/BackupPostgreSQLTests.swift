import Foundation
import Testing
import TransfertTestSupport

/// `transfert backup run` on a PostgreSQL hosting (issue #30): the nightly scenario of SQLite and MariaDB
/// (``BackupHosting``), rows changed with psql.
@Suite("Backups (PostgreSQL)", .serialized)
struct BackupPostgreSQLTests {
    @Test func nightlyRunBacksUpExactlyTheChangedOpenEstablishments() throws {
        let server = try PostgreSQLTestServer.shared()
        let psql = PSQL(server)
        let workspace = try Workspace()
        let account = try makePostgreSQLOperator(workspace, server: server)
        let tag = "b\(UUID().uuidString.prefix(6).lowercased())_"
        let created = try initPostgreSQL(
            workspace, "hosting", server: server, account: account, registry: "\(tag)registry", prefix: tag)
        try #require(created.status == 0, "\(created.transcript)")
        let hosting = BackupHosting(
            workspace: workspace,
            changeRow: { id in
                _ = try psql.value(
                    "UPDATE users SET first_name = first_name || 'e' WHERE id = (SELECT MIN(id) FROM users)",
                    database: "\(tag)base_\(id)")
            },
            markMoved: { id in
                _ = try psql.value(
                    "UPDATE structure SET status = 'moved' WHERE base_id = \(id)", database: "\(tag)registry")
            })
        try hosting.nightlyRunBacksUpExactlyTheChangedOpenEstablishments()
    }
}
