import Foundation

/// A throwaway MariaDB server for the tests, from Debian's `mariadb-server` package: a data directory
/// made by `mariadb-install-db` in a temporary directory, `mariadbd` listening on a free loopback port
/// and a socket there. One server per test process, started on first use.
///
/// It is stopped when the test process ends, however it ends, by its ``LifelineServerProcess``, which then
/// removes its temporary directory (some 200 MB of data files). If the server cannot start, ``shared()``
/// throws with the reason and the end of the server's log: tests that need it fail, nothing is skipped.
public final class MariaDBTestServer: @unchecked Sendable {
    public let directory: URL
    public let port: Int
    public var socket: String { directory.appendingPathComponent("mysqld.sock").path }
    private let server: LifelineServerProcess

    /// A server of its own, for a test that stops or restarts it (the shared one serves tests running at
    /// the same time).
    public static func dedicated() throws -> MariaDBTestServer {
        try MariaDBTestServer()
    }

    /// The server of this test process.
    public static func shared() throws -> MariaDBTestServer { try instance.get(starting: MariaDBTestServer.init) }

    private static let instance = SharedTestServer<MariaDBTestServer>()
    private static let installLock = NSLock()

    private init() throws {
        guard let installer = TestServerTools.which("mariadb-install-db"),
            let daemon = TestServerTools.which("mariadbd")
        else {
            throw TestServerStartFailure(
                description: "the MariaDB server is not installed: run `make setup` (Debian package mariadb-server)")
        }
        LifelineServerProcess.removeLeftovers(prefix: "transfert-mariadb-", pidFile: "mysqld.pid")
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
            throw TestServerStartFailure(description: "cannot create \(installLog.path)")
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
            throw TestServerStartFailure(description: "mariadb-install-db failed: \(TestServerTools.tail(installLog))")
        }
        guard let port = TestServerTools.freePort() else {
            throw TestServerStartFailure(description: "no free loopback port for mariadbd")
        }
        self.port = port
        let log = directory.appendingPathComponent("server.log")
        let command = [
            daemon, "--no-defaults", "--datadir=\(data)",
            "--socket=\(directory.appendingPathComponent("mysqld.sock").path)",
            "--port=\(port)", "--bind-address=127.0.0.1", "--user=\(NSUserName())", "--log-error=\(log.path)",
            "--pid-file=\(directory.appendingPathComponent("mysqld.pid").path)", "--innodb-buffer-pool-size=64M",
            "--innodb-log-file-size=32M", "--skip-name-resolve", "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_bin", "--max-connections=200", "--tmpdir=\(directory.path)",
        ]
        .map(TestServerTools.shellQuoted).joined(separator: " ")
        server = LifelineServerProcess(
            directory: directory, name: "mariadbd", port: port, command: command, stopSignal: "TERM", log: log)
        try start()
        started = true
    }

    /// Starts `mariadbd` and waits until it answers on its socket and its port.
    private func start() throws {
        try server.start { FileManager.default.fileExists(atPath: socket) && TestServerTools.accepts(port: port) }
    }

    /// Kills the server the way a crash or a power cut would (SIGKILL), then starts it again on the same
    /// data: InnoDB recovers, clients that were connected lose their connection.
    public func crashAndRestart() throws {
        let pidText = try String(contentsOf: directory.appendingPathComponent("mysqld.pid"), encoding: .utf8)
        if let pid = Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)) { kill(pid, SIGKILL) }
        try server.markRestart()
        server.closeLifeline()
        try? FileManager.default.removeItem(atPath: socket)
        try start()
    }

    /// What happens when the test process ends, however it ends (the shared server is never deinitialised):
    /// the pipe to the server's shell closes, and the shell stops the server and removes the directory.
    /// Waits until the shell is done. The server is unusable afterwards.
    public func endAsTheTestProcessDoes() { server.end() }

    deinit {
        server.end()
        try? FileManager.default.removeItem(at: directory)
    }

    /// `mariadb` (the client) as root on the socket, for checks with an independent tool.
    public func client(_ sql: String, database: String? = nil, user: String = "root", password: String? = nil) throws
        -> (status: Int32, output: String)
    {
        guard let tool = TestServerTools.which("mariadb") else {
            throw TestServerStartFailure(description: "the mariadb client is not installed")
        }
        var arguments = [
            "--no-defaults", "--batch", "--skip-column-names", "--socket=\(socket)", "--user=\(user)",
            "--default-character-set=utf8mb4",
        ]
        if let password { arguments.append("--password=\(password)") }
        if let database { arguments.append(database) }
        return try TestServerTools.capture(tool, arguments + ["-e", sql])
    }
}
