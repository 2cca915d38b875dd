import Foundation
import Testing

/// The repository's root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// What a finished process printed and returned.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Both streams, for assertion messages.
    var transcript: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
}

/// Runs an executable with arguments, without a shell, and collects its output.
@discardableResult
func run(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil,
    currentDirectory: URL? = nil
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let out = Pipe()
    let err = Pipe()
    let stdin = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    // Read both pipes concurrently so a chatty process cannot block on a full pipe.
    nonisolated(unsafe) var errorData = Data()
    let errorReader = Thread { errorData = err.fileHandleForReading.readDataToEndOfFile() }
    errorReader.start()
    let outputData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !errorReader.isFinished { usleep(1_000) }
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outputData, as: UTF8.self),
        stderr: String(decoding: errorData, as: UTF8.self))
}

/// Finds a tool on the PATH.
func which(_ tool: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let candidate = "\(directory)/\(tool)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// The `transfert` binary under test: `$TRANSFERT_BIN` (set by `make test`), else the debug build.
let transfertBinary: String = {
    if let path = ProcessInfo.processInfo.environment["TRANSFERT_BIN"], !path.isEmpty { return path }
    return repositoryRoot.appendingPathComponent(".build/debug/transfert").path
}()

/// A scratch directory with helpers to run `transfert` against hostings inside it.
final class Workspace {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("transfert-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ component: String) -> String { url.appendingPathComponent(component).path }

    /// Runs `transfert --hosting <hosting> <arguments>` (with `environment` added to the test's).
    @discardableResult
    func transfert(
        _ arguments: [String], hosting: String = "hosting", input: String? = nil, environment: [String: String] = [:]
    ) throws -> ProcessResult {
        try run(
            transfertBinary, ["--hosting", path(hosting)] + arguments, environment: environment, input: input,
            currentDirectory: url)
    }

    /// Runs transfert and records a test issue (with the transcript) unless it exits 0.
    @discardableResult
    func succeed(_ arguments: [String], hosting: String = "hosting", sourceLocation: SourceLocation = #_sourceLocation)
        throws -> ProcessResult
    {
        let result = try transfert(arguments, hosting: hosting)
        #expect(
            result.status == 0, "transfert \(arguments.joined(separator: " ")) failed:\n\(result.transcript)",
            sourceLocation: sourceLocation)
        return result
    }

    /// `init` with the sample profile, or `profile` (a path below the repository root).
    func initHosting(
        _ hosting: String = "hosting", name: String = "serveur-a", baseURL: String = "https://a.example.org/sacoche/",
        profile: String = "Samples/school-profile.yaml"
    ) throws {
        try succeed(
            [
                "init", "--name", name, "--base-url", baseURL, "--webmaster-name", "Hélène Dupré",
                "--webmaster-email", "webmestre@hebergeur-scolaire.fr",
                "--profile", repositoryRoot.appendingPathComponent(profile).path,
            ], hosting: hosting)
    }

    /// Runs `sqlite3 -batch <database> <sql>` and returns its output.
    func sqlite(_ database: String, _ sql: String) throws -> String {
        let tool = try #require(which("sqlite3"), "sqlite3 must be installed (make setup)")
        // A running transfert may hold the database for a moment: wait rather than fail with "locked".
        let result = try run(tool, ["-batch", "-cmd", ".timeout 10000", path(database), sql])
        #expect(result.status == 0, "sqlite3 failed: \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func json(_ result: ProcessResult) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }
}
