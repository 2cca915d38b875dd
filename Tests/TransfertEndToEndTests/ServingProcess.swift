import Foundation

/// A `transfert` command that serves until stopped (`serve`, `console`), started for a test on
/// `--port 0 --bind 127.0.0.1`: its first line (the address it prints) is read — a command that never
/// prints one is terminated after `addressTimeout` seconds rather than hang the test —, then the rest of its
/// standard output is read on a thread of its own, so it never blocks on a full pipe; standard error goes to
/// a file. ``PortalServer`` and ``ConsoleServer`` add what each checks and how each stops.
final class ServingProcess {
    let process: Process
    /// What it wrote to standard error (a file: nothing can block on it).
    let errorLog: URL
    /// The first line it printed, without its line end.
    let firstLine: String
    private let collected = OutputBox()
    private let readerDone = DispatchSemaphore(value: 0)

    init(_ workspace: Workspace, hosting: String, command: String, addressTimeout: TimeInterval) throws {
        let errorLog = workspace.url.appendingPathComponent("\(command)-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: transfertBinary)
        process.arguments = ["--hosting", workspace.path(hosting), command, "--port", "0", "--bind", "127.0.0.1"]
        process.currentDirectoryURL = workspace.url
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorLog)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.errorLog = errorLog

        let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + addressTimeout, execute: watchdog)
        var line = Data()
        while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line.append(byte)
        }
        watchdog.cancel()
        firstLine = String(decoding: line, as: UTF8.self)

        let collected = self.collected
        let done = readerDone
        Thread {
            collected.data = output.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    /// SIGTERM, then SIGKILL if it still runs after 15 s; waits for it and for its output to be read.
    func terminate() {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        waitForEnd()
    }

    /// Waits for the process to end and its output to be read (at most 5 s after it ended).
    func waitForEnd() {
        process.waitUntilExit()
        _ = readerDone.wait(timeout: .now() + 5)
    }

    /// What it printed on standard output after its first line (whole once it ended).
    var output: String { String(decoding: collected.data, as: UTF8.self) }

    /// What it wrote to standard error so far.
    var errors: String { (try? String(contentsOf: errorLog, encoding: .utf8)) ?? "" }

    private final class OutputBox: @unchecked Sendable { var data = Data() }
}
