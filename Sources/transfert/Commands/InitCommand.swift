import ArgumentParser
import Foundation
import TransfertKit

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a hosting: configuration, registry and the default zone.",
        discussion: "Example: transfert --hosting /srv/hosting init --name serveur-b --base-url https://b.example.org/")

    @OptionGroup var hostingOptions: HostingOptions

    @Option(name: .long, help: "This server's name, shown in letters and bundles.")
    var name: String

    @Option(name: .long, help: "The public address of the application; access links are <base-url>?id=<id>.")
    var baseURL: String

    @Option(name: .long, help: "Who signs the letters.")
    var webmasterName: String = "Webmestre"

    @Option(name: .long, help: "Where replies to letters go.")
    var webmasterEmail: String = "webmestre@example.org"

    @Option(name: .long, help: ArgumentHelp("The application profile to copy into the hosting.",
                                            discussion: "Default: $TRANSFERT_PROFILE, else Samples/school-profile.yaml.",
                                            valueName: "file"))
    var profile: String?

    func run() throws {
        let profileURL = try profile.map { URL(fileURLWithPath: $0) } ?? HostingLocation.defaultProfile()
        let configuration = HostingConfiguration(
            serverName: name, baseURL: baseURL,
            webmaster: .init(name: webmasterName, email: webmasterEmail))
        let hosting = try Hosting.initialise(at: hostingOptions.directory, configuration: configuration, profileSource: profileURL)
        print("Created hosting \(name) in \(hosting.directory.path)")
        print("  configuration: \(hosting.directory.appendingPathComponent(Hosting.configurationFileName).path)")
        print("  profile:       \(hosting.profile.name) (schema \(hosting.profile.schemaVersion.current))")
        print("  zone 1:        \(Zone.defaultZoneName)")
    }
}
