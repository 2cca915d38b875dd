import Foundation

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let schoolProfile = repositoryRoot.appendingPathComponent("Samples/school-profile.yaml")

/// A directory removed when the value is released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("transfert-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ component: String) -> URL { url.appendingPathComponent(component) }
}

/// A new hosting in a temporary directory.
func makeHosting(in directory: TemporaryDirectory, name: String = "hosting") throws -> Hosting {
    try Hosting.initialise(
        at: directory.path(name),
        configuration: HostingConfiguration(
            serverName: "serveur-test", baseURL: "https://test.example.org/",
            webmaster: .init(name: "Webmestre", email: "webmestre@example.org")),
        profileSource: schoolProfile)
}

func newStructure(uai: String? = "0750001U", id: Int64? = nil, email: String = "helene.dupre@ac-paris.fr")
    -> NewStructure
{
    NewStructure(
        baseID: id, uai: uai, localisation: "Paris", denomination: "Collège Émile Zola",
        contactNom: "Dupré", contactPrenom: "Hélène", contactCourriel: email,
        inscriptionDate: try! CalendarDate(parsing: "2024-09-02"))
}
