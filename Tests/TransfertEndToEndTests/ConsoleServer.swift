import Foundation
import Testing

/// A real `transfert console --port 0` on loopback, for the console's end-to-end tests: started on a
/// workspace's hosting, its address read from the line it prints first, stopped (SIGTERM, then SIGKILL)
/// when the test ends — even on failure, since `deinit` stops it too.
final class ConsoleServer {
    private let served: ServingProcess
    let port: Int
    let scheme: String
    private var ended: Int32?
    /// Whether the test itself sent a signal: its end is then expected.
    private var signalled = false

    var process: Process { served.process }
    /// What the console wrote to standard error (a file: nothing can block on it).
    var errorLog: URL { served.errorLog }
    /// `http://localhost:PORT` (or `https://`): the address the console printed, without the final slash.
    var base: String { "\(scheme)://localhost:\(port)" }
    var pid: Int32 { process.processIdentifier }

    init(_ workspace: Workspace, hosting: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        served = try ServingProcess(workspace, hosting: hosting, command: "console", addressTimeout: 30)
        // "Serving the console of DIR on http://localhost:PORT/ (SIGTERM or Ctrl-C stops it)"
        let first = served.firstLine
        let pattern = /Serving the console of .* on (https?):\/\/localhost:([0-9]+)\/ \(SIGTERM or Ctrl-C stops it\)/
        let match = first.wholeMatch(of: pattern)
        scheme = match.map { String($0.1) } ?? "http"
        port = match.flatMap { Int($0.2) } ?? 0
        if match == nil { stop() }
        try #require(
            match != nil,
            "transfert console did not print its address: \(first.debugDescription)\n\(errors)",
            sourceLocation: sourceLocation)
    }

    deinit { stop() }

    /// Sends SIGTERM and waits (SIGKILL after 15 s); the exit status.
    @discardableResult
    func stop() -> Int32 {
        if let ended { return ended }
        if !process.isRunning && !signalled {
            // Nobody asked it to stop: it crashed or exited under the test. Say so, with what it wrote.
            Issue.record(
                """
                the console (pid \(process.processIdentifier)) ended on its own during the test: \
                \(process.terminationReason == .uncaughtSignal ? "signal" : "exit status") \(process.terminationStatus)
                --- its standard error
                \(errors.suffix(4_000))
                """)
        }
        served.terminate()
        ended = process.terminationStatus
        return process.terminationStatus
    }

    /// Sends `signal` (SIGTERM: as systemd stops it), without waiting.
    func send(_ signal: Int32) {
        signalled = true
        kill(process.processIdentifier, signal)
    }

    /// SIGKILL, as a crash or the OOM killer would: nothing runs after it.
    func killHard() {
        signalled = true
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        served.waitForEnd()
        ended = process.terminationStatus
    }

    /// What the console printed on standard output after its first line (once stopped).
    var output: String { served.output }

    /// What the console wrote to standard error so far.
    var errors: String { served.errors }
}

extension Workspace {
    /// Creates a console account with `console user add NAME --role ROLE --password-file F`.
    func addConsoleUser(_ name: String, password: String, role: String = "webmaster", hosting: String) throws {
        let file = path("\(name)-\(hosting).password")
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: file))
        try succeed(["console", "user", "add", name, "--role", role, "--password-file", file], hosting: hosting)
    }
}
