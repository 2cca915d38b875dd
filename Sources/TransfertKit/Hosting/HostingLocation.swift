import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Finds the hosting directory and the application profile file the way the command line does.
public enum HostingLocation {
    /// `--hosting DIR`, else `$TRANSFERT_HOSTING`, else `./hosting`.
    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> URL
    {
        choose(option: option, environment: environment).directory
    }

    /// The same choice, with where it came from (for the message when it holds no hosting).
    public static func choose(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> ChosenHostingDirectory
    {
        if let option {
            return ChosenHostingDirectory(directory: URL(fileURLWithPath: option).standardizedFileURL, source: .option)
        }
        if let path = environment["TRANSFERT_HOSTING"], !path.isEmpty {
            return ChosenHostingDirectory(
                directory: URL(fileURLWithPath: path).standardizedFileURL, source: .environment)
        }
        return ChosenHostingDirectory(
            directory: URL(fileURLWithPath: "hosting").standardizedFileURL, source: .defaultDirectory)
    }

    /// The profile file `init` copies when none is named: `$TRANSFERT_PROFILE` when set, else `nil` for
    /// ``BuiltInProfile`` (no file to look for, so nothing depends on the current directory).
    public static func profileFromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> URL?
    {
        guard let path = environment["TRANSFERT_PROFILE"], !path.isEmpty else { return nil }
        return URL(fileURLWithPath: path).standardizedFileURL
    }
}
