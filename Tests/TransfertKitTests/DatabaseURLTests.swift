import Foundation
import Testing

@testable import TransfertModel
@testable import TransfertStorage

/// The one URL reader of the server engines: both engines refuse the same mistakes, each with its own
/// problem code (scripts read `mariadb_settings.*` and `postgresql_settings.*`).
@Suite("Database URL settings")
struct DatabaseURLTests {
    @Test(arguments: [
        ("mysql://admin:secret@localhost/reg", "password", ProblemCode.mariadbSettingsPasswordInURL),
        ("postgres://localhost/reg", "expected mysql://", .mariadbSettingsInvalid),
        ("mysql://localhost/reg", "names no user (mysql://", .mariadbSettingsInvalid),
        ("mysql://admin@localhost/a/b", "one database name", .mariadbSettingsInvalid),
        ("mysql://admin@localhost/reg?ssl-mode=REQUIRED", "unknown setting `ssl-mode`", .mariadbSettingsInvalid),
        ("mysql://admin@localhost/reg?socket=mysqld.sock", "the server's socket file", .mariadbSettingsInvalid),
        ("mysql://admin@localhost:70000/reg", "between 1 and 65535", .mariadbSettingsInvalid),
    ])
    func aMariaDBURLThatCannotBeUsedIsRefusedWithItsReason(_ url: String, _ reason: String, _ code: ProblemCode)
        throws
    {
        let error = try #require(throws: DatabaseURLError.self) { try MariaDBSettings(url: url) }
        #expect(error.description.contains(reason), "\(url): \(error)")
        #expect(error.problemCode == code)
        #expect(!error.description.contains("secret"), "the password is never repeated")
    }

    @Test func aMariaDBURLGivesTheServerTheUserAndTheDatabase() throws {
        let settings = try MariaDBSettings(url: "mariadb://op%C3%A9rateur@db.example.org/r%C3%A9gistre")
        #expect(settings.host == "db.example.org" && settings.port == 3306 && settings.socket == nil)
        #expect(settings.user == "opérateur" && settings.database == "régistre")
        let bare = try MariaDBSettings(url: "mysql://admin@/")
        #expect(bare.host == "127.0.0.1" && bare.database == nil)
    }

    @Test func aPostgreSQLURLKeepsItsOwnCodes() throws {
        let error = try #require(throws: DatabaseURLError.self) { try PostgreSQLSettings(url: "postgres://a:b@h/r") }
        #expect(error.problemCode == .postgresqlSettingsPasswordInURL)
        let invalid = try #require(throws: DatabaseURLError.self) { try PostgreSQLSettings(url: "postgres://h/r") }
        #expect(invalid.problemCode == .postgresqlSettingsInvalid)
    }
}
