import ArgumentParser
import Foundation
import TransfertConsole
import TransfertKit

struct ConsoleServeCommand: AsyncParsableCommand, TransfertSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the console (the default of `transfert console`).",
        discussion: """
            Example: transfert console --bind 127.0.0.1 --port 8443
            Jobs started from the console run on the server: closing the page does not stop them. Stopping \
            the console (SIGTERM, Ctrl-C) stops its running jobs as Ctrl-C would; they are reported \
            interrupted at the next start, and `doctor` cleans what they left.
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert

    @Option(name: .long, help: ArgumentHelp("The TCP port; 0 picks a free one (printed at start).", valueName: "port"))
    var port: Int = 8443

    @Option(name: .long, help: ArgumentHelp("The address to listen on.", valueName: "address"))
    var bind: String = "127.0.0.1"

    @Flag(
        name: .customLong("insecure-cookies"),
        help: "Send the session cookie without Secure: only for plain HTTP on a trusted network, never in production.")
    var insecureCookies = false

    func validate() throws {
        if output.json { throw ValidationError("console has no JSON output: leave --json out.") }
        guard (0...65_535).contains(port) else {
            throw ValidationError("--port \(port) is not a TCP port: give 1 to 65535, or 0 for any free port.")
        }
    }

    func run() async throws {
        let hosting = try hostingOptions.open()
        let settings = hosting.configuration.consoleSettings
        let accounts = ConsoleAccounts(hosting: hosting.directory)
        if try accounts.all().isEmpty {
            printError(
                "Note: the console has no account yet: create one with `transfert --hosting \(hosting.directory.path) console user add NAME`."
            )
        }
        let configuration = ConsoleConfiguration(
            hostingDirectory: hosting.directory, executable: Self.executable, settings: settings,
            secureCookies: !insecureCookies)
        let console = Console(
            services: ConsoleServices(configuration: configuration, hosting: hosting), logger: Loggers.portal())
        let bind = self.bind
        let scheme = settings.tlsFiles(hosting: hosting.directory) == nil ? "http" : "https"
        let directory = hosting.directory.path
        do {
            try await console.application(host: bind, port: port) { port in
                // Browsers treat http://localhost as a secure context: the session cookie works there too.
                let host = bind.contains(":") ? "[\(bind)]" : (bind == "127.0.0.1" ? "localhost" : bind)
                FileHandle.standardOutput.write(
                    Data(
                        "Serving the console of \(directory) on \(scheme)://\(host):\(port)/ (SIGTERM or Ctrl-C stops it)\n"
                            .utf8))
            }.runService()
        } catch {
            throw CommandFailure(
                "the console cannot serve on \(bind):\(port): \(error); choose another --port, or check console.tls_certificate and console.tls_key"
            )
        }
        print("Console stopped.")
    }

    /// This very binary: jobs run the same `transfert` that serves.
    static var executable: URL {
        URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0])
    }
}
