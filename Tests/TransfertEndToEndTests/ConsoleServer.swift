import Foundation
import Testing

/// A real `transfert console --port 0` on loopback, for the console's end-to-end tests: started on a
/// workspace's hosting, its address read from the line it prints first, stopped (SIGTERM, then SIGKILL)
/// when the test ends — even on failure, since `deinit` stops it too.
final class ConsoleServer {
    let process: Process
    let port: Int
    let scheme: String
    /// What the console wrote to standard error (a file: nothing can block on it).
    let errorLog: URL
    private let reader: Thread
    private let readerDone: DispatchSemaphore
    private let collected = OutputBox()
    private var ended: Int32?
    /// Whether the test itself sent a signal: its end is then expected.
    private var signalled = false

    /// `http://localhost:PORT` (or `https://`): the address the console printed, without the final slash.
    var base: String { "\(scheme)://localhost:\(port)" }
    var pid: Int32 { process.processIdentifier }

    init(_ workspace: Workspace, hosting: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let errorLog = workspace.url.appendingPathComponent("console-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: transfertBinary)
        process.arguments = ["--hosting", workspace.path(hosting), "console", "--port", "0", "--bind", "127.0.0.1"]
        process.currentDirectoryURL = workspace.url
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorLog)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.errorLog = errorLog

        // A console that never prints its address must not hang the test.
        let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 30, execute: watchdog)
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        watchdog.cancel()

        // Keep reading standard output so the console never blocks on a full pipe.
        let collected = self.collected
        let done = DispatchSemaphore(value: 0)
        readerDone = done
        reader = Thread {
            collected.data = output.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        reader.start()

        // "Serving the console of DIR on http://localhost:PORT/ (SIGTERM or Ctrl-C stops it)"
        let first = String(decoding: line, as: UTF8.self)
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

    private final class OutputBox: @unchecked Sendable { var data = Data() }

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
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        _ = readerDone.wait(timeout: .now() + 5)
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
        process.waitUntilExit()
        _ = readerDone.wait(timeout: .now() + 5)
        ended = process.terminationStatus
    }

    /// What the console printed on standard output after its first line (once stopped).
    var output: String { String(decoding: collected.data, as: UTF8.self) }

    /// What the console wrote to standard error so far.
    var errors: String { (try? String(contentsOf: errorLog, encoding: .utf8)) ?? "" }
}

extension Workspace {
    /// Creates a console account with `console user add NAME --role ROLE --password-file F`.
    func addConsoleUser(_ name: String, password: String, role: String = "webmaster", hosting: String) throws {
        let file = path("\(name)-\(hosting).password")
        try Data((password + "\n").utf8).write(to: URL(fileURLWithPath: file))
        try succeed(["console", "user", "add", name, "--role", role, "--password-file", file], hosting: hosting)
    }
}
