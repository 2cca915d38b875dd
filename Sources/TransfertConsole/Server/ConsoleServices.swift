import Foundation
import Hummingbird
import TransfertKit

/// What the console's pages share: the hosting (read directly, on one serial queue — registry calls
/// block), the accounts, the sessions and their throttle, and the two ways of changing something: a short
/// command waited for (``CommandRunner``), or a job (``JobRunner``).
public final class ConsoleServices: Sendable {
    public let configuration: ConsoleConfiguration
    public let hosting: Hosting
    public let accounts: ConsoleAccounts
    public let sessions: ConsoleSessions
    public let throttle: SignInThrottle
    public let jobs: JobRunner
    public let commands: CommandRunner
    private let reads = DispatchQueue(label: "transfert.console.registry")

    public init(
        configuration: ConsoleConfiguration, hosting: Hosting,
        sessionStorage: any PersistDriver = MemoryPersistDriver(),
        throttle: SignInThrottle = SignInThrottle()
    ) {
        self.configuration = configuration
        self.hosting = hosting
        self.accounts = ConsoleAccounts(hosting: configuration.hostingDirectory)
        self.sessions = ConsoleSessions(
            storage: sessionStorage, idleSeconds: configuration.settings.sessionIdleSeconds,
            lifetimeSeconds: configuration.settings.sessionLifetimeSeconds)
        self.throttle = throttle
        let launcher = CommandLauncher(executable: configuration.executable, hosting: configuration.hostingDirectory)
        self.jobs = JobRunner(
            launcher: launcher, store: JobStore(hosting: configuration.hostingDirectory),
            retention: configuration.settings.jobRetentionSeconds)
        self.commands = CommandRunner(launcher: launcher)
    }

    /// Runs a read of the hosting off the event loops.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Hosting) throws -> T) async throws -> T {
        let hosting = self.hosting
        return try await withCheckedThrowingContinuation { continuation in
            reads.async { continuation.resume(with: Result { try body(hosting) }) }
        }
    }

    /// The hosting's time zone, in which dates are shown and typed.
    public var timeZone: TimeZone { hosting.configuration.timeZone }
}
