import Foundation
import TransfertKit

/// How a console serves: where, for which hosting, with which `transfert` binary for its jobs, and the
/// `console:` settings of `transfert.yaml` (upload limit, sessions, TLS, import directory).
public struct ConsoleConfiguration: Sendable {
    public var hostingDirectory: URL
    /// The binary that runs jobs: the one serving the console, normally (`/proc/self/exe`).
    public var executable: URL
    public var settings: ConsoleSettings
    /// Whether cookies carry `Secure`: true unless the console is reached over plain HTTP on loopback
    /// for a test or a demo (browsers treat `http://localhost` as secure, so it stays on there too).
    public var secureCookies: Bool

    public init(hostingDirectory: URL, executable: URL, settings: ConsoleSettings, secureCookies: Bool = true) {
        self.hostingDirectory = hostingDirectory
        self.executable = executable
        self.settings = settings
        self.secureCookies = secureCookies
    }
}
