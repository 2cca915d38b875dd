import Foundation

/// A throwaway MariaDB server for the tests, from Debian's `mariadb-server` package: a data directory
/// made by `mariadb-install-db` in a temporary directory, `mariadbd` listening on a free loopback port
/// and a socket there. One server per test process, started on first use.
///
/// It is stopped when the test process ends, however it ends: `mariadbd` runs under a small shell that
/// kills it as soon as its standard input — a pipe from this process — closes, and then removes its
/// temporary directory (some 200 MB of data files): the shared server is never deinitialised, and a test
/// process killed does not get to clean up. If the server cannot
/// start, ``shared`` throws with the reason and the end of the server's log: tests that need it fail,
/// nothing is skipped.
public final class MariaDBTestServer: @unchecked Sendable {
    public let directory: URL
    public let port: Int
    public var socket: String { directory.appendingPathComponent("mysqld.sock").path }
    private var process = Process()
    private var lifeline = Pipe()
    /// The shell command that runs `mariadbd` on this directory and port.
    private var command = ""
    private var log: String { directory.appendingPathComponent("server.log").path }

    /// A server of its own, for a test that stops or restarts it (the shared one serves tests running at
    /// the same time).
    public static func dedicated() throws -> MariaDBTestServer {
        try MariaDBTestServer()
    }

    /// The server of this test process.
    public static func shared() throws -> MariaDBTestServer {
        try lock.withLock {
            if let server { return server }
            if let failure { throw failure }
            do {
                let started = try MariaDBTestServer()
                server = started
                return started
            } catch {
                failure = error
                throw error
            }
        }
    }

    nonisolated(unsafe) private static var server: MariaDBTestServer?
    nonisolated(unsafe) private static var failure: Error?
    private static let lock = NSLock()
    private static let installLock = NSLock()

    public struct StartFailure: Error, CustomStringConvertible {
        public var description: String
    }

    private init() throws {
        guard let installer = Self.which("mariadb-install-db"), let daemon = Self.which("mariadbd") else {
            throw StartFailure(
                description: "the MariaDB server is not installed: run `make setup` (Debian package mariadb-server)")
        }
        Self.removeLeftovers()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "transfert-mariadb-\(UUID().uuidString.prefix(8))")
        directory = scratch
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // A server that does not start leaves nothing behind either.
        var started = false
        defer { if !started { try? FileManager.default.removeItem(at: scratch) } }
        let data = directory.appendingPathComponent("data").path
        let install = Process()
        install.executableURL = URL(fileURLWithPath: installer)
        install.arguments = [
            "--no-defaults", "--datadir=\(data)", "--user=\(NSUserName())", "--auth-root-authentication-method=normal",
            "--skip-test-db",
        ]
        let installLog = directory.appendingPathComponent("install.log")
        guard FileManager.default.createFile(atPath: installLog.path, contents: nil) else {
            throw StartFailure(description: "cannot create \(installLog.path)")
        }
        install.standardOutput = try FileHandle(forWritingTo: installLog)
        install.standardError = install.standardOutput
        // Two bootstraps at once collide on their temporary tables in /tmp: one at a time per process,
        // each with a TMPDIR of its own.
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = directory.path
        install.environment = environment
        try Self.installLock.withLock {
            try install.run()
            install.waitUntilExit()
        }
        guard install.terminationStatus == 0 else {
            throw StartFailure(description: "mariadb-install-db failed: \(Self.tail(installLog))")
        }
        port = try Self.freePort()
        command = [
            daemon, "--no-defaults", "--datadir=\(data)",
            "--socket=\(directory.appendingPathComponent("mysqld.sock").path)",
            "--port=\(port)", "--bind-address=127.0.0.1", "--user=\(NSUserName())", "--log-error=\(log)",
            "--pid-file=\(directory.appendingPathComponent("mysqld.pid").path)", "--innodb-buffer-pool-size=64M",
            "--innodb-log-file-size=32M", "--skip-name-resolve", "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_bin", "--max-connections=200", "--tmpdir=\(directory.path)",
        ]
        .map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        try start()
        started = true
    }

    /// Runs `mariadbd` under a shell that kills it as soon as its standard input — a pipe from this
    /// process — closes, and waits until it answers.
    private func start() throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The directory goes with the server, unless crashAndRestart() is about to start it again on the same data.
        let quoted = "'" + directory.path.replacingOccurrences(of: "'", with: "'\\''") + "'"
        try? FileManager.default.removeItem(at: restartMarker)
        // A SIGTERM that reaches mariadbd while it is still starting can be lost (it then never stops): a
        // watchdog kills it outright after 20 s, so the test process never waits forever.
        process.arguments = [
            "-c",
            "\(command) & server=$!; cat >/dev/null; kill $server 2>/dev/null; "
                + "(sleep 20; kill -9 $server 2>/dev/null) </dev/null & watchdog=$!; "
                + "wait $server; kill $watchdog 2>/dev/null; "
                + "[ -e \(quoted)/restarting ] || rm -rf \(quoted)",
        ]
        lifeline = Pipe()
        process.standardInput = lifeline
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: socket) || !Self.accepts(port: port) {
            guard Date() < deadline, process.isRunning else {
                throw StartFailure(
                    description: "mariadbd did not start on 127.0.0.1:\(port): \(Self.tail(URL(fileURLWithPath: log)))")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Kills the server the way a crash or a power cut would (SIGKILL), then starts it again on the same
    /// data: InnoDB recovers, clients that were connected lose their connection.
    public func crashAndRestart() throws {
        let pidText = try String(contentsOf: directory.appendingPathComponent("mysqld.pid"), encoding: .utf8)
        if let pid = Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)) { kill(pid, SIGKILL) }
        guard FileManager.default.createFile(atPath: restartMarker.path, contents: nil) else {
            throw StartFailure(description: "cannot create \(restartMarker.path)")
        }
        try? lifeline.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: socket)
        try start()
    }

    /// What happens when the test process ends, however it ends (the shared server is never deinitialised):
    /// the pipe to the server's shell closes, and the shell stops the server and removes the directory.
    /// Waits until the shell is done. The server is unusable afterwards.
    public func endAsTheTestProcessDoes() {
        try? lifeline.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// Present while crashAndRestart() restarts the server: its shell then keeps the directory.
    private var restartMarker: URL { directory.appendingPathComponent("restarting") }

    deinit {
        try? lifeline.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// `mariadb` (the client) as root on the socket, for checks with an independent tool.
    public func client(_ sql: String, database: String? = nil, user: String = "root", password: String? = nil) throws
        -> (status: Int32, output: String)
    {
        guard let tool = Self.which("mariadb") else {
            throw StartFailure(description: "the mariadb client is not installed")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        var arguments = [
            "--no-defaults", "--batch", "--skip-column-names", "--socket=\(socket)", "--user=\(user)",
            "--default-character-set=utf8mb4",
        ]
        if let password { arguments.append("--password=\(password)") }
        if let database { arguments.append(database) }
        arguments += ["-e", sql]
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Directories of earlier runs whose server is gone (a test process killed with its process group
    /// does not get to remove its own).
    private static func removeLeftovers() {
        let temporary = FileManager.default.temporaryDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        where name.hasPrefix("transfert-mariadb-") {
            let directory = temporary.appendingPathComponent(name)
            // One being set up right now (no pid file yet) is another server's, not a leftover.
            let modified =
                (try? FileManager.default.attributesOfItem(atPath: directory.path)[.modificationDate] as? Date) ?? nil
            if let modified, Date().timeIntervalSince(modified) < 600 { continue }
            let pidText = try? String(contentsOf: directory.appendingPathComponent("mysqld.pid"), encoding: .utf8)
            if let pid = pidText.flatMap({ Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
                kill(pid, 0) == 0
            {
                continue
            }
            try? FileManager.default.removeItem(at: directory)
        }
    }

    private static func which(_ tool: String) -> String? { TestServerTools.which(tool) }

    private static func tail(_ url: URL) -> String { TestServerTools.tail(url) }

    private static func freePort() throws -> Int {
        guard let port = TestServerTools.freePort() else {
            throw StartFailure(description: "no free loopback port for mariadbd")
        }
        return port
    }

    private static func accepts(port: Int) -> Bool { TestServerTools.accepts(port: port) }
}
