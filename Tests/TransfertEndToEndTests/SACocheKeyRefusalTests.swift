import Foundation
import Testing
import TransfertTestSupport

/// A MySQL key names plain columns: an index SQLite keeps on an expression or with a `WHERE` clause has
/// no place in SACoche's `CREATE TABLE`, so `export --format sacoche` refuses it by name before writing
/// anything, rather than writing the key without what made it partial.
@Suite("SACoche export and keys a MySQL table cannot declare", .serialized)
struct SACocheKeyRefusalTests {
    @Test("an index with WHERE or on an expression is refused, named, nothing written; dropped, the export goes")
    func anIndexMySQLCannotDeclareIsRefused() throws {
        let workspace = try Workspace()
        try workspace.initHosting(
            "hosting", name: "serveur-sacoche", baseURL: "https://sacoche.example.org/",
            profile: "Samples/sacoche-profile.yaml")
        try workspace.succeed([
            "structure", "add", "--zone", "1", "--localisation", "Lyon", "--denomination", "Collège Jean Moulin",
            "--contact-nom", "Durand", "--contact-prenom", "Zoé", "--contact-courriel", "zoe.durand@example.org",
        ])
        let out = workspace.path("out")
        for (index, sql) in [
            (
                "sacoche_user.partiel",
                #"CREATE INDEX "sacoche_user.partiel" ON sacoche_user (user_nom) WHERE user_id > 0"#
            ),
            ("sacoche_user.calcule", #"CREATE INDEX "sacoche_user.calcule" ON sacoche_user (lower(user_nom))"#),
        ] {
            _ = try workspace.sqlite("hosting/bases/base_1.sqlite", sql)
            let refused = try workspace.transfert(["export", "--format", "sacoche", "--ids", "1", "--out", out])
            #expect(refused.status != 0)
            #expect(
                refused.stderr.contains(
                    "establishment 1: table sacoche_user has index \(index) (on an expression, with a collation or a WHERE clause; a MySQL key is on plain columns only)"
                ),
                "\(refused.transcript)")
            #expect(!refused.stderr.contains("Fatal error"))
            #expect(!FileManager.default.fileExists(atPath: out), "nothing written")
            _ = try workspace.sqlite("hosting/bases/base_1.sqlite", #"DROP INDEX "\#(index)""#)
        }
        try workspace.succeed(["export", "--format", "sacoche", "--ids", "1", "--out", out])
    }
}
