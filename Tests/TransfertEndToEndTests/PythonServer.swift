import Foundation
import Testing

/// A Python script run as a loopback server for a test (the SMTP sink, the DNS stub).
///
/// The script prints its port on its first line once it listens, and exits when its standard input
/// closes — so a test that crashes cannot leave it running. Stopped when released.
final class PythonServer {
    let port: Int
    private let process: Process
    private let input: Pipe

    /// Starts `script` with `arguments`; `name` is what a failure to start says.
    init(script: String, arguments: [String], name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let python = try #require(
            which("python3"), "python3 must be installed (make setup)", sourceLocation: sourceLocation)
        process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script] + arguments
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        port = try #require(
            Int(String(decoding: line, as: UTF8.self)), "\(name) did not start", sourceLocation: sourceLocation)
    }

    deinit { stop() }

    /// Stops the server and waits until it has exited (its port then refuses connections).
    func stop() {
        guard process.isRunning else { return }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
