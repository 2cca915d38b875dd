import Foundation
import Testing
import TransfertTestSupport

@Suite("Backups (MariaDB)", .serialized)
struct BackupMariaDBTests {
    @Test func nightlyRunBacksUpExactlyTheChangedOpenEstablishments() throws {
        let server = try MariaDBTestServer.shared()
        // The shared server holds every MariaDB test's databases: with its default table_definition_cache
        // (400), InnoDB may evict this hosting's tables from its cache, which resets their UPDATE_TIME and
        // counts them changed once more (safe, but this test asserts "unchanged"). A production server
        // sizes it for its tables; the guide says what an eviction costs.
        let raised = try server.client("SET GLOBAL table_definition_cache = GREATEST(@@table_definition_cache, 4096)")
        #expect(raised.status == 0, "\(raised.output)")
        let workspace = try Workspace()
        try BackupHosting.mariadb(workspace, server: server).nightlyRunBacksUpExactlyTheChangedOpenEstablishments()
    }
}
