import Foundation
import GRDB
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

@Suite("Hosting and registry")
struct HostingTests {
    @Test func initCreatesDefaultZoneAndPrivateFiles() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        #expect(try hosting.registry.zones() == [Zone(id: 1, name: "Zone par défaut")])
        for file in ["transfert.yaml", "registry.sqlite"] {
            let attributes = try FileManager.default.attributesOfItem(
                atPath: hosting.directory.appendingPathComponent(file).path)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(file) must be owner-only")
        }
        #expect(throws: HostingError.alreadyInitialised(hosting.directory.path)) { try makeHosting(in: directory) }
    }

    @Test func backendSettingsRoundTripAndAMissingPasswordIsRefusedByName() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        var configuration = hosting.configuration
        configuration.backend = BackendSettings(
            kind: .mariadb,
            database: DatabaseServerSettings(
                url: "mysql://transfert@db.example.org:3306/transfert_registry",
                passwordEnvironmentVariable: "TRANSFERT_DB_PASSWORD"))
        let file = directory.path("hosting/transfert.yaml")
        try configuration.renderYAML().write(to: file, atomically: true, encoding: .utf8)
        let read = try HostingConfiguration.load(from: file)
        #expect(read.backend == configuration.backend)
        #expect(read.backend.database?.prefix == "transfert_", "the documented default prefix")
        // The configuration names the variable that holds the password: without it, a refusal that says so.
        #expect(throws: BackendError.passwordMissing("$TRANSFERT_DB_PASSWORD, which transfert.yaml names, is not set"))
        {
            try Hosting.open(at: hosting.directory)
        }
    }

    @Test func reopeningKeepsConfigurationAndFingerprint() throws {
        let directory = try TemporaryDirectory()
        let created = try makeHosting(in: directory)
        let reopened = try Hosting.open(at: created.directory)
        #expect(reopened.configuration == created.configuration)
        #expect(try reopened.registry.fingerprint() == created.registry.fingerprint())
        #expect(try reopened.registry.fingerprint().count == 36)
    }

    @Test func openingAnEmptyDirectorySaysToRunInit() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: RegistryError.notInitialised(directory.url.path)) { try Hosting.open(at: directory.url) }
    }

    @Test func addStructureCreatesDatabaseWithSchemaVersionAndFilesDirectory() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        let structure = try hosting.addStructure(newStructure())
        #expect(structure.baseID == 1)
        #expect(hosting.establishments.exists(baseID: 1))
        let version = try hosting.establishments.read(baseID: 1) {
            try hosting.profile.schemaVersion.read(from: $0).map(SQLValue.text) ?? .null
        }
        #expect(version == .text("2026-09-01"))
        #expect(FileManager.default.fileExists(atPath: hosting.filesDirectory(baseID: 1).path))
        #expect(try hosting.registry.structure(baseID: 1) == structure)
    }

    @Test func idsFollowTheMaximum() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        try hosting.addStructure(newStructure(uai: "0750001U", id: 7))
        let next = try hosting.addStructure(newStructure(uai: "0330001X"))
        #expect(next.baseID == 8)
    }

    @Test func duplicateIDAndUAIAreRefusedWithTheirField() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        try hosting.addStructure(newStructure(uai: "0750001U", id: 3))
        do {
            try hosting.addStructure(newStructure(uai: "0750001U", id: 3))
            Issue.record("a duplicate must be refused")
        } catch let error as StructureValidationError {
            #expect(error.problems.map { $0.location?.field } == ["uai", "base_id"])
            #expect(error.description.contains("0750001U is already hosted here (establishment 3)"))
        }
        #expect(try hosting.registry.structures().count == 1)
    }

    @Test func everyProblemIsListedAndNothingIsLeftBehind() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        var input = newStructure(uai: "0750001A", email: "pas-une-adresse")
        input.zoneID = 9
        input.denomination = "  "
        do {
            try hosting.addStructure(input)
            Issue.record("invalid input must be refused")
        } catch let error as StructureValidationError {
            #expect(
                Set(error.problems.map { $0.location?.field }) == [
                    "denomination", "uai", "contact_courriel", "zone_id",
                ])
        }
        #expect(try hosting.registry.structures().isEmpty)
        #expect(!hosting.establishments.exists(baseID: 1))
    }

    @Test func accessURL() {
        let configuration = HostingConfiguration(
            serverName: "b", baseURL: "https://b.example.org/", webmaster: .init(name: "W", email: "w@example.org"))
        #expect(configuration.accessURL(baseID: 12) == "https://b.example.org/?id=12")
        var withQuery = configuration
        withQuery.baseURL = "https://b.example.org/index.php?page=public"
        #expect(withQuery.accessURL(baseID: 12) == "https://b.example.org/index.php?page=public&id=12")
    }

    @Test func configurationErrorsNameTheKey() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        let file = hosting.directory.appendingPathComponent("transfert.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "https://test.example.org/", with: "test.example.org").write(
            to: file, atomically: true, encoding: .utf8)
        #expect(
            throws: ConfigurationError.invalidValue(
                file: file.path, key: "base_url", value: "test.example.org",
                expected: "an http:// or https:// address, e.g. https://sacoche.example.org/")
        ) {
            try Hosting.open(at: hosting.directory)
        }
        try text.replacingOccurrences(of: "server_name:", with: "servername:").write(
            to: file, atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.invalid(file: file.path, reason: "missing key `server_name`")) {
            try Hosting.open(at: hosting.directory)
        }
    }
}

@Suite("Registry migrations")
struct RegistryMigrationTests {
    @Test func emptyRegistryGetsEveryMigration() throws {
        let directory = try TemporaryDirectory()
        let registry = try SQLRegistry.sqlite(path: directory.path("registry.sqlite").path, create: true)
        #expect(try registry.appliedMigrations() == RegistryMigration.all.map(\.identifier))
    }

    @Test func concurrentInsertionsNeverShareAnID() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("registry.sqlite").path
        _ = try SQLRegistry.sqlite(path: path, create: true).addZone(named: "Zone par défaut")
        let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
            for index in 0..<20 {
                group.addTask {
                    // Separate connections, as two processes would have.
                    let registry = try SQLRegistry.sqlite(path: path, create: false)
                    let structure = Structure(
                        baseID: 0, zoneID: 1, uai: nil, localisation: "Lyon", denomination: "École \(index)",
                        contactNom: "Noël", contactPrenom: "Zoé",
                        contactCourriel: try EmailAddress(validating: "c\(index)@example.org"),
                        inscriptionDate: try CalendarDate(parsing: "2024-09-02"))
                    return try registry.insertWithNewID(structure, isFree: { _ in true }).baseID
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(ids).count == 20)
        #expect(Set(ids) == Set(1...20))
    }
}
