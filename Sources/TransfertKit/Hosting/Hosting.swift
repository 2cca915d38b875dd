import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// A multi-establishment hosting: a directory holding the configuration, the application profile,
/// the registry and, per establishment, a database and a files directory.
///
/// ```
/// hosting/
///   transfert.yaml            configuration (edited by hand)
///   application-profile.yaml  what the hosted application looks like
///   registry.sqlite           zones, structures, journal, locks
///   bases/base_<id>.sqlite    one database per establishment
///   files/<id>/               uploads of each establishment (documents, badges, logos)
/// ```
///
/// ```swift
/// let hosting = try Hosting.open(at: URL(fileURLWithPath: "hosting"))
/// for structure in try hosting.registry.structures() { print(structure.displayName) }
/// ```
public final class Hosting: Sendable {
    public static let configurationFileName = "transfert.yaml"
    public static let profileFileName = "application-profile.yaml"

    public let directory: URL
    public let configuration: HostingConfiguration
    public let profile: ApplicationProfile
    public let backend: any HostingBackend

    public var registry: any Registry { backend.registry }
    public var establishments: any EstablishmentStore { backend.establishments }

    init(directory: URL, configuration: HostingConfiguration, profile: ApplicationProfile, backend: any HostingBackend)
    {
        self.directory = directory
        self.configuration = configuration
        self.profile = profile
        self.backend = backend
    }

    /// The uploads directory of an establishment (it may not exist yet).
    public func filesDirectory(baseID: Int64) -> URL {
        directory.appendingPathComponent("files").appendingPathComponent(String(baseID))
    }

    /// Opens an initialised hosting.
    public static func open(at directory: URL) throws -> Hosting {
        let configurationURL = directory.appendingPathComponent(configurationFileName)
        guard FileManager.default.fileExists(atPath: configurationURL.path) else {
            throw RegistryError.notInitialised(directory.path)
        }
        let configuration = try HostingConfiguration.load(from: configurationURL)
        let profilePath = configuration.applicationProfile
        let profileURL =
            profilePath.hasPrefix("/")
            ? URL(fileURLWithPath: profilePath) : directory.appendingPathComponent(profilePath)
        let profile = try ApplicationProfile.load(from: profileURL)
        let backend = try makeBackend(configuration: configuration, directory: directory, create: false)
        return Hosting(directory: directory, configuration: configuration, profile: profile, backend: backend)
    }

    /// Creates a hosting in `directory` (created if needed, it must not hold a hosting already):
    /// writes the configuration, copies the application profile, creates the registry and the
    /// default zone.
    @discardableResult
    public static func initialise(at directory: URL, configuration: HostingConfiguration, profileSource: URL) throws
        -> Hosting
    {
        let text: String
        do { text = try String(contentsOf: profileSource, encoding: .utf8) } catch {
            throw ConfigurationError.unreadable(file: profileSource.path, reason: error.localizedDescription)
        }
        return try initialise(
            at: directory, configuration: configuration, profile: text, profileName: profileSource.path)
    }

    /// The same with the profile's text (`profileName` names it in errors): the built-in profile,
    /// ``BuiltInProfile``, has no file.
    @discardableResult
    public static func initialise(
        at directory: URL, configuration: HostingConfiguration, profile text: String,
        profileName: String
    ) throws -> Hosting {
        try configuration.validate(file: configurationFileName)
        let profile = try ApplicationProfile.decode(text, file: profileName)
        let fileManager = FileManager.default
        let configurationURL = directory.appendingPathComponent(configurationFileName)
        guard !fileManager.fileExists(atPath: configurationURL.path) else {
            throw HostingError.alreadyInitialised(directory.path)
        }
        let existed = fileManager.fileExists(atPath: directory.path)
        try fileManager.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var configuration = configuration
        configuration.applicationProfile = profileFileName
        let profileCopy = directory.appendingPathComponent(profileFileName)
        do {
            // The text is written, not the file copied: a profile given as a symbolic link is copied as
            // what it points to, and the hosting does not depend on where the profile came from.
            try writePrivateFile(text, to: profileCopy)
            let backend = try makeBackend(configuration: configuration, directory: directory, create: true)
            if try backend.registry.zones().isEmpty {
                _ = try backend.registry.addZone(named: Zone.defaultZoneName)
            }
            // Written last: its presence is what marks the directory as an initialised hosting.
            try writePrivateFile(configuration.renderYAML(), to: configurationURL)
            return Hosting(directory: directory, configuration: configuration, profile: profile, backend: backend)
        } catch {
            // A refused init (a server that says no, a missing privilege) leaves no half-made hosting.
            if existed {
                for name in [profileFileName, "registry.sqlite"] {
                    try? fileManager.removeItem(at: directory.appendingPathComponent(name))
                }
            } else {
                try? fileManager.removeItem(at: directory)
            }
            throw error
        }
    }

    private static func makeBackend(configuration: HostingConfiguration, directory: URL, create: Bool) throws
        -> any HostingBackend
    {
        try BackendFactory.make(configuration.backend, hostingDirectory: directory, create: create)
    }
}

public enum HostingError: Error, Equatable, Sendable, CustomStringConvertible {
    case alreadyInitialised(String)

    public var description: String {
        switch self {
        case .alreadyInitialised(let path):
            return "\(path) already holds a hosting (transfert.yaml exists): choose another --hosting directory"
        }
    }
}

/// Writes `text` to `url` atomically, readable and writable by its owner only (see ``AtomicFile``).
func writePrivateFile(_ text: String, to url: URL) throws {
    try AtomicFile.write(Data(text.utf8), to: url)
}

extension HostingError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .alreadyInitialised: return .hostingAlreadyInitialised
        }
    }
}
