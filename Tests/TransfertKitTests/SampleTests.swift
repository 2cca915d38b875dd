import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

@Suite("Sample hostings")
struct SampleTests {
    @Test func sameSeedSameContentDigest() throws {
        let directory = try TemporaryDirectory()
        let first = try makeHosting(in: directory, name: "first")
        let second = try makeHosting(in: directory, name: "second")
        let third = try makeHosting(in: directory, name: "third")
        try SampleGenerator(structures: 2, students: 30, seed: 42).fill(first)
        try SampleGenerator(structures: 2, students: 30, seed: 42).fill(second)
        try SampleGenerator(structures: 2, students: 30, seed: 43).fill(third)
        let digest = try HostingDigest.compute(first)
        #expect(digest == (try HostingDigest.compute(second)))
        #expect(digest != (try HostingDigest.compute(third)))
    }

    @Test func establishmentsAreRealistic() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        let created = try SampleGenerator(structures: 3, students: 50, seed: 7).fill(hosting)
        #expect(created.map(\.baseID) == [1, 2, 3])
        #expect(Set(created.compactMap(\.uai)).count == 3, "UAIs are unique and valid")
        let report = try hosting.statistics(baseIDs: nil)
        let first = try #require(report.rows.first)
        let figures = Dictionary(uniqueKeysWithValues: first.figures.map { ($0.key, $0.value) })
        #expect(figures["students"] == .integer(50))
        // 10 subjects × 10 assessments × 5 items per student.
        #expect(figures["grades"] == .integer(50 * 500))
        #expect(first.filesCount >= 4)
        #expect(report.totals.first(where: { $0.key == "students" })?.value == .integer(150))
        // Accents survive the round trip through SQLite.
        let names = try hosting.establishments.read(baseID: 1) { reader in
            try reader.scalar("SELECT group_concat(last_name || ' ' || first_name, ';') FROM users")
        }
        #expect(names.textValue?.unicodeScalars.contains { !$0.isASCII } == true)
    }

    /// A hosting with SACoche's profile gets SACoche's rows in SACoche's tables, every value one its
    /// MySQL column keeps.
    @Test func aSACocheHostingGetsSACochesTables() throws {
        let directory = try TemporaryDirectory()
        let hosting = try Hosting.initialise(
            at: directory.path("sacoche"),
            configuration: HostingConfiguration(
                serverName: "serveur-test", baseURL: "https://test.example.org/",
                webmaster: .init(name: "Webmestre", email: "webmestre@hebergeur-scolaire.fr")),
            profileSource: schoolProfile.deletingLastPathComponent().appendingPathComponent("sacoche-profile.yaml"))
        let created = try SampleGenerator(structures: 2, students: 30, seed: 5).fill(hosting)
        #expect(created.map(\.baseID) == [1, 2])
        let figures = Dictionary(
            uniqueKeysWithValues: try #require(try hosting.statistics(baseIDs: nil).rows.first).figures.map {
                ($0.key, $0.value)
            })
        #expect(figures["students"] == .integer(30) && figures["grades"] == .integer(30 * 500))
        try hosting.establishments.read(baseID: 1) { reader in
            let schema = try reader.schema()
            #expect(try MySQLRowAudit.problems(in: schema, reader: reader).refused == 0)
            #expect(try hosting.profile.schemaVersion.read(from: reader) == hosting.profile.schemaVersion.current)
        }
        #expect(try Doctor(hosting: hosting).examine().findings.isEmpty)
    }

    /// A hosting (with a real sender, so `doctor` has nothing to say about it) over a profile given as text.
    func hosting(in directory: TemporaryDirectory, profileText: String) throws -> Hosting {
        let profile = directory.path("profile.yaml")
        try profileText.write(to: profile, atomically: true, encoding: .utf8)
        return try Hosting.initialise(
            at: directory.path("hosting"),
            configuration: HostingConfiguration(
                serverName: "serveur-test", baseURL: "https://test.example.org/",
                webmaster: .init(name: "Webmestre", email: "webmestre@hebergeur-scolaire.fr")),
            profileSource: profile)
    }

    /// A profile with neither the school's tables nor SACoche's: refused before anything exists.
    @Test func aProfileWithNeitherIsRefusedBeforeAnythingIsCreated() throws {
        let directory = try TemporaryDirectory()
        let text = try String(contentsOf: schoolProfile, encoding: .utf8).replacingOccurrences(
            of: "users", with: "people")
        let hosting = try hosting(in: directory, profileText: text)
        #expect(SampleGenerator.missingTables(in: hosting.profile) == ["users"])
        #expect(throws: SampleError.self) { try SampleGenerator(structures: 2, students: 5).fill(hosting) }
        #expect(try hosting.registry.structures().isEmpty)
        #expect(try hosting.establishments.databaseIDs().isEmpty)
        #expect(try Doctor(hosting: hosting).examine().findings.isEmpty)
    }

    /// A failure while an establishment's rows are written leaves nothing of it: no registry row, no
    /// database, no files.
    @Test func aFailureMidEstablishmentLeavesNothingBehind() throws {
        let directory = try TemporaryDirectory()
        let text = try String(contentsOf: schoolProfile, encoding: .utf8)
            .replacingOccurrences(
                of: "CHECK (points IS NULL OR points >= 0)", with: "CHECK (points IS NULL OR points < 0)")
        #expect(text.contains("points < 0"))
        let hosting = try hosting(in: directory, profileText: text)
        #expect(throws: (any Error).self) { try SampleGenerator(structures: 1, students: 5).fill(hosting) }
        #expect(try hosting.registry.structures().isEmpty)
        #expect(try hosting.establishments.databaseIDs().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: hosting.filesDirectory(baseID: 1).path))
    }

    @Test func gradeCountScalesWithStudents() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        try SampleGenerator(structures: 1, students: 7, seed: 1).fill(hosting)
        let grades = try hosting.establishments.read(baseID: 1) { try $0.scalar("SELECT COUNT(*) FROM grades") }
        #expect(grades == .integer(7 * 500))
    }
}

@Suite("Content digests")
struct ContentDigestTests {
    @Test func digestDependsOnValuesAndTypesNotOnSQL() {
        var a = ContentDigest(columns: ["id", "name"])
        a.add(row: [.integer(1), .text("Hélène")])
        var b = ContentDigest(columns: ["id", "name"])
        b.add(row: [.integer(1), .text("Hélène")])
        var c = ContentDigest(columns: ["id", "name"])
        c.add(row: [.text("1"), .text("Hélène")])
        var d = ContentDigest(columns: ["id", "nom"])
        d.add(row: [.integer(1), .text("Hélène")])
        let digest = a.finalize()
        #expect(digest == b.finalize())
        #expect(digest != c.finalize(), "an integer and a text are different values")
        #expect(digest != d.finalize(), "column names are part of the digest")
        #expect(digest.count == 64)
    }

    @Test func rowBoundariesMatter() {
        var a = ContentDigest(columns: ["x"])
        a.add(row: [.text("ab")])
        a.add(row: [.text("c")])
        var b = ContentDigest(columns: ["x"])
        b.add(row: [.text("a")])
        b.add(row: [.text("bc")])
        #expect(a.finalize() != b.finalize())
    }
}
