import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertPortal
import TransfertStorage

struct ServeCommand: AsyncParsableCommand, TransfertSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the portal: establishments' entry pages, maintenance pages, and their state as JSON.",
        discussion: """
            GET /?id=N: the entry page, with the warning of a planned window; during a window or a lock, \
            the maintenance page (HTTP 503, Retry-After); 404 for an unknown id. GET /status?id=N: the same \
            state as JSON, for the hosted application (open, warning, maintenance, locked; messages; times \
            in ISO 8601). GET /health: for monitoring. A change to the registry shows within a second. Pages are in \
            the hosting's language (language in transfert.yaml, default fr). SIGTERM or Ctrl-C stops it \
            cleanly. Put it behind your web server (TLS, the public address) rather than exposing it.
            Example: transfert serve --port 8080 --bind 127.0.0.1
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert

    @Option(name: .long, help: ArgumentHelp("The TCP port; 0 picks a free one (printed at start).", valueName: "port"))
    var port: Int = 8080

    @Option(name: .long, help: ArgumentHelp("The address to listen on.", valueName: "address"))
    var bind: String = "127.0.0.1"

    func validate() throws {
        // The portal prints one line when it listens; it has no JSON form, and a --json it ignored would be lost.
        if output.json {
            throw ValidationError("serve has no JSON output: leave --json out (GET /status?id=N answers in JSON).")
        }
        guard (0...65_535).contains(port) else {
            throw ValidationError("--port \(port) is not a TCP port: give 1 to 65535, or 0 for any free port.")
        }
    }

    func run() async throws {
        let hosting = try hostingOptions.open()
        let source = HostingStateSource(
            registry: hosting.registry, settings: hosting.accessSettings, logger: Loggers.portal())
        let portal = Portal(
            source: source, language: hosting.configuration.userLanguage,
            application: hosting.profile.name, timeZone: hosting.configuration.timeZone,
            logger: Loggers.portal())
        let limits = try Self.limits(
            hosting.configuration.portalSettings,
            file: hosting.directory.appendingPathComponent(Hosting.configurationFileName).path)
        let bind = self.bind
        let directory = hosting.directory.path
        let application = portal.application(host: bind, port: port, limits: limits) { port in
            let host = bind.contains(":") ? "[\(bind)]" : bind
            // Written straight to the descriptor: whoever started it reads the port at once, through a pipe too.
            FileHandle.standardOutput.write(
                Data(
                    "Serving the portal of \(directory) on http://\(host):\(port)/ (SIGTERM or Ctrl-C stops it)\n".utf8)
            )
        }
        do {
            try await application.runService()
        } catch {
            throw CommandFailure(
                "the portal cannot listen on \(bind):\(port): \(error); choose another --port, or stop what uses it")
        }
        print("Portal stopped.")
    }

    /// The portal's limits from `portal:` in `transfert.yaml`. The cap must fit in the open-file limit with
    /// room for the registry and logs: the soft limit is raised within the hard one when needed, and a cap
    /// that still does not fit is refused (else connections past the limit would fail in `accept`).
    static func limits(_ settings: PortalSettings, file: String) throws -> PortalLimits {
        var limits = PortalLimits(
            readTimeout: settings.readTimeout ?? PortalLimits.defaultReadTimeout,
            writeTimeout: settings.writeTimeout ?? PortalLimits.defaultWriteTimeout,
            idleTimeout: settings.idleTimeout ?? PortalLimits.defaultIdleTimeout)
        guard let wanted = settings.maxConnections else {
            limits.maxConnections = OpenFileLimit.defaultConnectionCap
            return limits
        }
        if let reached = OpenFileLimit.make(room: wanted), reached - OpenFileLimit.reserve < wanted {
            throw CommandFailure(
                "\(file): portal.max_connections is \(wanted), but this process may open only \(reached) files "
                    + "(\(OpenFileLimit.reserve) kept for the registry and logs): lower portal.max_connections to "
                    + "\(max(1, reached - OpenFileLimit.reserve)) or less, or raise the limit (`ulimit -n`, systemd's LimitNOFILE=)"
            )
        }
        limits.maxConnections = wanted
        return limits
    }
}
