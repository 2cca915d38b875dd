import Foundation

/// Finds the hosting directory and the default application profile the way the command line does.
public enum HostingLocation {
    /// `--hosting DIR`, else `$TRANSFERT_HOSTING`, else `./hosting`.
    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let path = option ?? environment["TRANSFERT_HOSTING"].flatMap { $0.isEmpty ? nil : $0 } ?? "hosting"
        return URL(fileURLWithPath: path).standardizedFileURL
    }

    /// The profile `init` copies when none is named: `$TRANSFERT_PROFILE`, else
    /// `Samples/school-profile.yaml` in the current directory or beside the installed binary
    /// (`<prefix>/share/transfert/` or the source tree of a `.build` binary).
    public static func defaultProfile(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executable: URL = URL(fileURLWithPath: CommandLine.arguments.first ?? "transfert")
    ) throws -> URL {
        var candidates: [URL] = []
        if let path = environment["TRANSFERT_PROFILE"], !path.isEmpty { candidates.append(URL(fileURLWithPath: path)) }
        candidates.append(URL(fileURLWithPath: "Samples/school-profile.yaml"))
        let binDirectory = executable.resolvingSymlinksInPath().deletingLastPathComponent()
        candidates.append(binDirectory.appendingPathComponent("../share/transfert/school-profile.yaml"))
        // .build/<triple>/release/transfert → source tree's Samples/
        candidates.append(binDirectory.appendingPathComponent("../../../Samples/school-profile.yaml"))
        candidates.append(binDirectory.appendingPathComponent("../../Samples/school-profile.yaml"))
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate.standardizedFileURL.path) {
            return candidate.standardizedFileURL
        }
        throw HostingError.profileNotFound(searched: candidates.map { $0.standardizedFileURL.path })
    }
}
