import Foundation
import Testing
import TransfertTestSupport

/// `sample` and `doctor` on a hosting with SACoche's profile: `sample` refuses before creating anything
/// (its generator writes the school profile's tables), and `doctor` finds a half-created establishment —
/// registered without a database, or whose database has no schema version or none of the profile's tables.
@Suite("sample and doctor on a SACoche hosting", .serialized)
struct SACocheHostingTests {
    func sacocheHosting(_ workspace: Workspace) throws {
        try workspace.initHosting("hosting", name: "serveur-sacoche", baseURL: "https://sacoche.example.org/", profile: "Samples/sacoche-profile.yaml")
    }

    @Test("sample on a SACoche hosting refuses before creating anything; doctor then finds nothing")
    func sampleRefusesCleanly() throws {
        let workspace = try Workspace()
        try sacocheHosting(workspace)
        let sample = try workspace.transfert(["sample", "--structures", "2", "--students", "5"])
        #expect(sample.status != 0)
        #expect(sample.stderr.contains("nothing was created") && sample.stderr.contains("lacks users"), "\(sample.transcript)")
        #expect(!sample.stderr.contains("no such table"))
        #expect(try workspace.sqlite("hosting/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: workspace.path("hosting/bases"))) ?? []).isEmpty)
        let doctor = try workspace.succeed(["doctor"])
        #expect(doctor.stdout.contains("the hosting is consistent"))
    }

    @Test("doctor finds every kind of half-created establishment and says what to do")
    func doctorFindsHalfCreatedEstablishments() throws {
        let workspace = try Workspace()
        try sacocheHosting(workspace)
        for name in ["A", "B", "C", "D"] {
            try workspace.succeed(["structure", "add", "--zone", "1", "--localisation", "Lyon", "--denomination", "Collège \(name)",
                                   "--contact-nom", "Durand", "--contact-prenom", "Zoé", "--contact-courriel", "zoe.durand@example.org"])
        }
        #expect(try workspace.succeed(["doctor"]).stdout.contains("the hosting is consistent"), "a fresh establishment is whole")
        try FileManager.default.removeItem(atPath: workspace.path("hosting/bases/base_1.sqlite"))
        _ = try workspace.sqlite("hosting/bases/base_2.sqlite", "DELETE FROM sacoche_parametre")
        let tables = try workspace.sqlite("hosting/bases/base_3.sqlite", "SELECT name FROM sqlite_master WHERE type = 'table'")
        _ = try workspace.sqlite("hosting/bases/base_3.sqlite", tables.split(separator: "\n").map { "DROP TABLE \"\($0)\";" }.joined())
        let doctor = try workspace.succeed(["doctor", "--json"])
        let report = try #require(try workspace.json(doctor) as? [String: Any])
        let findings = (report["findings"] as? [String] ?? []).joined(separator: "\n")
        #expect(findings.contains("establishment 1 (Lyon | Collège A) is half-created: it is registered but has no database"), "\(findings)")
        #expect(findings.contains("establishment 2 (Lyon | Collège B) is half-created: its database has no schema version (no version_base row in sacoche_parametre)"), "\(findings)")
        #expect(findings.contains("establishment 3 (Lyon | Collège C) is half-created: its database holds no table"), "\(findings)")
        #expect(!findings.contains("establishment 4"), "\(findings)")
        #expect(findings.contains("transfert structure remove --ids 2 --force"))
        try workspace.succeed(["structure", "remove", "--ids", "1,2,3", "--force", "--yes"])
        #expect(try workspace.succeed(["doctor"]).stdout.contains("the hosting is consistent"))
    }
}
