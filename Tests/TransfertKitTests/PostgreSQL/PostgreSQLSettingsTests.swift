import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertModel
@testable import TransfertStorage

@Suite("PostgreSQL settings")
struct PostgreSQLSettingsTests {
    @Test func aURLGivesTheServerTheUserAndTheDatabase() throws {
        let settings = try PostgreSQLSettings(url: "postgres://transfert@db.example.org:6432/registre")
        #expect(settings.host == "db.example.org" && settings.port == 6432)
        #expect(settings.user == "transfert" && settings.database == "registre" && settings.socket == nil)
        #expect(settings.password == nil)
        #expect(settings.server == "db.example.org:6432")
        #expect(settings.url == "postgres://transfert@db.example.org:6432/registre")
        let defaults = try PostgreSQLSettings(url: "postgresql://ops@localhost/reg")
        #expect(defaults.port == 5432 && defaults.host == "localhost")
        let encoded = try PostgreSQLSettings(url: "postgres://op%C3%A9rateur@h/r%C3%A9gistre")
        #expect(encoded.user == "opérateur" && encoded.database == "régistre")
    }

    @Test func theSocketFormNamesTheDirectoryOfTheSocket() throws {
        let settings = try PostgreSQLSettings(url: "postgres://ops@localhost/reg?socket=/run/postgresql")
        #expect(settings.socketPath == "/run/postgresql/.s.PGSQL.5432")
        #expect(settings.server == "socket /run/postgresql/.s.PGSQL.5432")
        #expect(settings.url == "postgres://ops@localhost/reg?socket=/run/postgresql")
        let port = try PostgreSQLSettings(url: "postgres://ops@localhost:5433/reg?socket=/tmp/pg/")
        #expect(port.socketPath == "/tmp/pg/.s.PGSQL.5433")
    }

    @Test(arguments: [
        ("postgres://ops:secret@localhost/reg", "password"),
        ("postgres://ops:@localhost/reg", "password"),
        ("mysql://ops@localhost/reg", "expected postgres://"),
        ("postgres://localhost/reg", "names no user"),
        ("postgres://ops@localhost/a/b", "one database name"),
        ("postgres://ops@localhost/reg?sslmode=require", "unknown setting `sslmode`"),
        ("postgres://ops@localhost/reg?socket=relative/dir", "absolute path"),
        ("postgres://ops@localhost:0/reg", "between 1 and 65535"),
        ("postgres://ops@localhost:70000/reg", "between 1 and 65535"),
    ])
    func aURLThatCannotBeUsedIsRefusedWithItsReason(_ url: String, _ reason: String) throws {
        let error = try #require(throws: DatabaseURLError.self) { try PostgreSQLSettings(url: url) }
        #expect(error.description.contains(reason), "\(url): \(error)")
        #expect(!error.description.contains("secret"), "the password is never repeated")
    }

    @Test func anotherDatabaseOrRoleKeepsTheServer() throws {
        var settings = try PostgreSQLSettings(url: "postgres://ops@localhost:6000/reg")
        settings.password = "pw"
        let other = settings.with(user: "transfert_user_3", password: "generated", database: "transfert_base_3")
        #expect(other.host == "localhost" && other.port == 6000)
        #expect(
            other.user == "transfert_user_3" && other.password == "generated" && other.database == "transfert_base_3")
        #expect(settings.with(database: nil).database == nil && settings.with(database: nil).password == "pw")
        #expect(!other.description.contains("generated"))
    }
}
