import Foundation

/// A throwaway PostgreSQL cluster for the tests, from Debian's `postgresql` package: `initdb` in a temporary
/// directory, `postgres` listening on a free loopback port (scram-sha-256 with a password over TCP) and a
/// socket in that directory (trust, for checks with `psql`). One cluster per test process, started on first
/// use; ``dedicated()`` gives a test that stops or restarts it a cluster of its own.
///
/// It is stopped when the test process ends, however it ends, by its ``LifelineServerProcess`` (a fast
/// shutdown), which then removes its directory.
/// `initdb` and `postgres` refuse to run as root: as root, they run as the unprivileged `postgres` user
/// (through `setpriv`), which owns the directory. If the cluster cannot start, ``shared()`` throws with the
/// reason and the end of its log: tests that need it fail, nothing is skipped.
public final class PostgreSQLTestServer: @unchecked Sendable {
    public let directory: URL
    public let port: Int
    /// The superuser, created by `initdb`, and its password.
    public let user = "transfert_admin"
    public let password: String
    /// The directory holding the socket `.s.PGSQL.<port>`.
    public var socketDirectory: String { directory.path }
    /// `postgres://transfert_admin@127.0.0.1:PORT/DATABASE`, without the password.
    public func url(database: String = "postgres") -> String { "postgres://\(user)@127.0.0.1:\(port)/\(database)" }

    private let server: LifelineServerProcess
    private let binaries: String
    private var data: String { directory.appendingPathComponent("data").path }
    private var log: URL { directory.appendingPathComponent("server.log") }

    /// Debian installs the server's programs out of PATH, one directory per major version.
    private static let versions = ["17", "16", "15", "14", "13"]

    public static func dedicated() throws -> PostgreSQLTestServer { try PostgreSQLTestServer() }

    /// A loopback port nothing listens on (bound, then released), for a test of a server that is not there.
    public static func unusedPort() -> Int? { TestServerTools.freePort() }

    /// The cluster of this test process.
    public static func shared() throws -> PostgreSQLTestServer { try instance.get(starting: PostgreSQLTestServer.init) }

    private static let instance = SharedTestServer<PostgreSQLTestServer>()

    /// As root, the unprivileged account the server's programs run as.
    private static var runAsPostgres: Bool { getuid() == 0 }

    private init() throws {
        guard
            let binaries = Self.versions.map({ "/usr/lib/postgresql/\($0)/bin" }).first(where: {
                FileManager.default.isExecutableFile(atPath: "\($0)/initdb")
            })
        else {
            throw TestServerStartFailure(
                description:
                    "the PostgreSQL server is not installed: run `make setup-test` (Debian package postgresql)")
        }
        self.binaries = binaries
        LifelineServerProcess.removeLeftovers(prefix: "transfert-postgres-", pidFile: "data/postmaster.pid")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "transfert-postgres-\(UUID().uuidString.prefix(8).lowercased())")
        directory = scratch
        // Read before the server is set up: `data` and `log` are not usable yet.
        let data = scratch.appendingPathComponent("data").path
        let log = scratch.appendingPathComponent("server.log")
        password = UUID().uuidString.lowercased()
        guard let port = TestServerTools.freePort() else {
            throw TestServerStartFailure(description: "no free loopback port for postgres")
        }
        self.port = port
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var started = false
        defer { if !started { try? FileManager.default.removeItem(at: scratch) } }
        let passwordFile = directory.appendingPathComponent("password")
        try Data((password + "\n").utf8).write(to: passwordFile)
        if Self.runAsPostgres {
            guard let account = getpwnam("postgres") else {
                throw TestServerStartFailure(
                    description:
                        "running as root, the tests start PostgreSQL as the user `postgres`, which does not exist (Debian's postgresql package creates it)"
                )
            }
            for path in [directory.path, passwordFile.path] {
                guard chown(path, account.pointee.pw_uid, account.pointee.pw_gid) == 0 else {
                    throw TestServerStartFailure(
                        description: "cannot give \(path) to the user postgres: errno \(errno)")
                }
            }
        }
        let initLog = directory.appendingPathComponent("initdb.log")
        let status = try Self.run(
            Self.asServerUser([
                "\(binaries)/initdb", "--pgdata=\(data)", "--username=\(user)", "--pwfile=\(passwordFile.path)",
                "--auth-host=scram-sha-256", "--auth-local=trust", "--encoding=UTF8", "--locale=C.UTF-8",
                "--no-sync",
            ]), log: initLog)
        guard status == 0 else {
            throw TestServerStartFailure(description: "initdb failed: \(TestServerTools.tail(initLog))")
        }
        try? FileManager.default.removeItem(at: passwordFile)
        let command = Self.asServerUser([
            "\(binaries)/postgres", "-D", data, "-p", "\(port)", "-c", "listen_addresses=127.0.0.1",
            "-c", "unix_socket_directories=\(directory.path)", "-c", "max_connections=200",
            // fsync off: the cluster is thrown away, and only a machine crash would lose what it skips.
            // synchronous_commit stays on: crashAndRestart() must find every commit a client was told of.
            "-c", "shared_buffers=32MB", "-c", "fsync=off", "-c", "full_page_writes=off", "-c", "logging_collector=off",
        ]).map(TestServerTools.shellQuoted).joined(separator: " ")
        // setpriv executes postgres in its place: $! is the postmaster, whose SIGINT is a fast shutdown (it
        // ends its backends too).
        server = LifelineServerProcess(
            directory: directory, name: "postgres", port: port,
            command: "cd / && \(command) >>\(TestServerTools.shellQuoted(log.path)) 2>&1", stopSignal: "INT", log: log)
        try start()
        started = true
    }

    /// `arguments` run as the server's user: itself, or `postgres` when this process is root.
    private static func asServerUser(_ arguments: [String]) -> [String] {
        guard runAsPostgres else { return arguments }
        return ["/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"] + arguments
    }

    private static func run(_ arguments: [String], log: URL) throws -> Int32 {
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw TestServerStartFailure(description: "cannot create \(log.path)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Starts `postgres` and waits until it accepts connections.
    private func start() throws { try server.start(until: isReady) }

    /// The postmaster writes "ready" in its pid file once it accepts connections (not while it recovers).
    private func isReady() -> Bool {
        guard let text = try? String(contentsOfFile: "\(data)/postmaster.pid", encoding: .utf8) else { return false }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.count > 7 && lines[7].trimmingCharacters(in: .whitespaces) == "ready"
            && TestServerTools.accepts(port: port)
    }

    private var postmasterPID: Int32? {
        (try? String(contentsOfFile: "\(data)/postmaster.pid", encoding: .utf8))
            .flatMap { $0.split(separator: "\n").first }.flatMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Stops the server the way a crash would — an immediate shutdown (SIGQUIT: no checkpoint, every backend
    /// ended at once) — then starts it again on the same data: it recovers from its WAL, and clients that
    /// were connected lose their connection. (A SIGKILL to the postmaster alone would leave its backends
    /// holding the shared memory, and no new server could start on the data.)
    public func crashAndRestart() throws {
        try server.markRestart()
        if let pid = postmasterPID { kill(pid, SIGQUIT) }
        server.closeLifeline()
        try start()
    }

    /// Stops the server (fast shutdown) and keeps its data, for a test of a server that is gone; ``startAgain()``
    /// brings it back.
    public func stop() {
        try? server.markRestart()
        server.closeLifeline()
    }

    /// Starts the server stopped by ``stop()`` again on the same data and port.
    public func startAgain() throws { try start() }

    /// What happens when the test process ends, however it ends: the pipe to the server's shell closes, and
    /// the shell stops the server and removes the directory. Waits until the shell is done.
    public func endAsTheTestProcessDoes() { server.end() }

    deinit {
        server.end()
        try? FileManager.default.removeItem(at: directory)
    }

    /// `psql` as the superuser on the socket, for checks with an independent tool: unaligned, tuples only.
    public func client(_ sql: String, database: String = "postgres") throws -> (status: Int32, output: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = nil
        environment["PGCLIENTENCODING"] = "UTF8"
        return try TestServerTools.capture(
            "\(binaries)/psql",
            [
                "--no-psqlrc", "--no-align", "--tuples-only", "--quiet", "--host=\(socketDirectory)", "--port=\(port)",
                "--username=\(user)", "--dbname=\(database)", "--set=ON_ERROR_STOP=1", "--command=\(sql)",
            ], environment: environment)
    }
}
