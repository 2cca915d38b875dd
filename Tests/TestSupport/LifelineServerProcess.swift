import Foundation

/// The start-up both throwaway database servers of the tests share: the server program runs under a small
/// shell that stops it as soon as its standard input — a pipe from this process, the lifeline — closes,
/// and then removes the server's temporary directory; this process waits until the server is ready, or
/// fails with the end of the server's log.
///
/// The lifeline is what stops a shared server: it is never deinitialised, and a test process that is killed
/// does not get to clean up, but the kernel closes its pipes. A marker file, `restarting`, tells the shell
/// to keep the directory, for a test that crashes the server and starts it again on the same data.
final class LifelineServerProcess {
    let directory: URL
    /// The program's name, for messages (`mariadbd`, `postgres`).
    private let name: String
    private let port: Int
    /// The shell command that runs the server, its words quoted; `$!` after it must be the server itself.
    private let command: String
    /// The signal the shell sends to stop the server: `TERM`, or `INT` for PostgreSQL's fast shutdown.
    private let stopSignal: String
    private let log: URL
    private var process = Process()
    private var lifeline = Pipe()

    init(directory: URL, name: String, port: Int, command: String, stopSignal: String, log: URL) {
        self.directory = directory
        self.name = name
        self.port = port
        self.command = command
        self.stopSignal = stopSignal
        self.log = log
    }

    /// Present while the server is stopped to be started again: its shell then keeps the directory.
    var restartMarker: URL { directory.appendingPathComponent("restarting") }

    /// Runs the server under its shell and waits (30 s at most) until `isReady` says it accepts clients.
    func start(until isReady: () -> Bool) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        let quoted = TestServerTools.shellQuoted(directory.path)
        try? FileManager.default.removeItem(at: restartMarker)
        // A stop signal that reaches a server still starting can be lost (it then never stops): a watchdog
        // kills it outright after 20 s, so the test process never waits forever.
        process.arguments = [
            "-c",
            "\(command) & server=$!; cat >/dev/null; kill -\(stopSignal) $server 2>/dev/null; "
                + "(sleep 20; kill -9 $server 2>/dev/null) </dev/null >/dev/null 2>&1 & watchdog=$!; "
                + "wait $server; kill $watchdog 2>/dev/null; "
                + "[ -e \(quoted)/restarting ] || rm -rf \(quoted)",
        ]
        lifeline = Pipe()
        process.standardInput = lifeline
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while !isReady() {
            guard Date() < deadline, process.isRunning else {
                throw TestServerStartFailure(
                    description: "\(name) did not start on 127.0.0.1:\(port): \(TestServerTools.tail(log))")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Marks a restart, so that the shell keeps the directory when the server stops.
    func markRestart() throws {
        guard FileManager.default.createFile(atPath: restartMarker.path, contents: nil) else {
            throw TestServerStartFailure(description: "cannot create \(restartMarker.path)")
        }
    }

    /// Closes the lifeline and waits until the shell is done: the server stops, and its directory goes
    /// unless a restart is marked.
    func closeLifeline() {
        try? lifeline.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// What happens when the test process ends, however it ends: the server stops and its directory goes.
    func end() {
        try? FileManager.default.removeItem(at: restartMarker)
        closeLifeline()
    }

    /// Directories under the temporary directory, named `prefix…`, of earlier runs whose server is gone (a
    /// test process killed with its process group does not get to remove its own). `pidFile` is where, in
    /// such a directory, the server wrote its process id (first line).
    static func removeLeftovers(prefix: String, pidFile: String) {
        let temporary = FileManager.default.temporaryDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        where name.hasPrefix(prefix) {
            let directory = temporary.appendingPathComponent(name)
            // One being set up right now (no pid file yet) is another server's, not a leftover.
            let modified =
                (try? FileManager.default.attributesOfItem(atPath: directory.path)[.modificationDate] as? Date) ?? nil
            if let modified, Date().timeIntervalSince(modified) < 600 { continue }
            let pidText = try? String(contentsOf: directory.appendingPathComponent(pidFile), encoding: .utf8)
            if let pid = pidText.flatMap({ $0.split(separator: "\n").first }).flatMap({
                Int32($0.trimmingCharacters(in: .whitespaces))
            }), kill(pid, 0) == 0 {
                continue
            }
            try? FileManager.default.removeItem(at: directory)
        }
    }
}
