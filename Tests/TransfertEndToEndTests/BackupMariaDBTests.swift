import Foundation
import Testing
import TransfertTestSupport

@Suite("Backups (MariaDB)", .serialized)
struct BackupMariaDBTests {
    @Test func nightlyRunBacksUpExactlyTheChangedOpenEstablishments() throws {
        let server = try MariaDBTestServer.shared()
        let workspace = try Workspace()
        try BackupHosting.mariadb(workspace, server: server).nightlyRunBacksUpExactlyTheChangedOpenEstablishments()
    }
}
