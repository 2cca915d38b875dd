import Foundation

/// Runs a short command and waits for it (adding an establishment, a lock, a window): the page shows
/// its result or its refusal exactly as the command line gives them. Output goes through files in
/// `console/tmp/`, never a pipe that a large answer could fill.
public struct CommandRunner: Sendable {
    let launcher: CommandLauncher
    let scratch: URL

    init(launcher: CommandLauncher) {
        self.launcher = launcher
        self.scratch = launcher.hosting.appendingPathComponent("console/tmp")
    }

    public func run(_ arguments: [String], user: String) async throws -> CommandResult {
        try FileManager.default.createDirectory(
            at: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let name = ConsoleToken.random().prefix(16).map { $0 == "-" || $0 == "_" ? "x" : $0 }
        let outputURL = scratch.appendingPathComponent("\(String(name)).out")
        let errorsURL = scratch.appendingPathComponent("\(String(name)).err")
        defer {
            unlink(outputURL.path)
            unlink(errorsURL.path)
        }
        _ = FileManager.default.createFile(
            atPath: outputURL.path, contents: nil, attributes: [.posixPermissions: 0o600])
        _ = FileManager.default.createFile(
            atPath: errorsURL.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let output = try FileHandle(forWritingTo: outputURL)
        let errors = try FileHandle(forWritingTo: errorsURL)
        let input = Pipe()
        let process = launcher.process(arguments: arguments, user: user, output: output, errors: errors, input: input)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try? input.fileHandleForWriting.close()
        try? output.close()
        try? errors.close()
        let (answer, truncated) = Self.read(outputURL, limit: Self.outputLimit)
        var result = CommandResult(
            exitCode: status, output: answer,
            messages: String(decoding: Self.read(errorsURL, limit: 1 << 20).data, as: UTF8.self))
        result.outputTruncated = truncated
        return result
    }

    /// What a page reads of a command's answer at most: a report of a million feed rows is larger, and its
    /// page shows a bounded part of it anyway.
    public static let outputLimit = 64 << 20

    /// The first `limit` bytes of a file, and whether there was more.
    static func read(_ url: URL, limit: Int) -> (data: Data, truncated: Bool) {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return (Data(), false) }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: limit + 1)) ?? Data()
        return data.count > limit ? (data.prefix(limit), true) : (data, false)
    }
}
