import Foundation

/// Starts jobs and sees them end. A job is one run of the `transfert` binary, detached from the page:
/// closing the browser changes nothing, and the job page can be reopened at any time. Two jobs on one
/// establishment are kept apart by the command's own locks, as on a terminal.
///
/// ```swift
/// let job = try await console.jobs.start(kind: "export", title: "Export 1, 2", user: "marie",
///                                        arguments: ["export", "--ids", "1,2", "--progress", "json"],
///                                        establishments: [1, 2])
/// ```
public actor JobRunner {
    public nonisolated let store: JobStore
    let launcher: CommandLauncher
    /// The write ends of the running jobs' standard input: held open while they run (see ``CommandLauncher``).
    private var inputs: [String: Pipe] = [:]

    /// Seconds a finished job is kept (``ConsoleSettings/jobRetentionSeconds``); older ones are removed as
    /// new ones start.
    let retention: TimeInterval

    init(launcher: CommandLauncher, store: JobStore, retention: TimeInterval) {
        self.launcher = launcher
        self.store = store
        self.retention = retention
    }

    /// Starts `transfert --hosting DIR --json ARGUMENTS…`, then each of `then` once the previous one
    /// succeeded; `{files}` (``expandingFiles(_:files:)``) is replaced by the job's own `files/` directory (where an export
    /// writes its bundle), and `{produced:.zip}` in a following step by the file an earlier step wrote there
    /// (``ProducedFileArgument``).
    public func start(
        kind: String, title: String, user: String, arguments: [String], then following: [[String]] = [],
        establishments: [Int64] = [], details: [String: String] = [:], now: Date = Date()
    ) throws -> ConsoleJob {
        store.purge(endedBefore: retention, now: now)
        var job = ConsoleJob(
            id: ConsoleJob.newID(now: now), kind: kind, title: title, user: user, arguments: [],
            establishments: establishments, startedAt: now, details: details)
        let files = store.filesDirectory(of: job.id).path
        let expand = { (arguments: [String]) in arguments.map { Self.expandingFiles($0, files: files) } }
        job.arguments = expand(arguments)
        job.followingSteps = following.map(expand)
        try store.create(job)
        _ = FileManager.default.createFile(
            atPath: store.errorFile(of: job.id).path, contents: nil, attributes: [.posixPermissions: 0o600])
        do {
            job.pid = try launch(job, step: 0)
        } catch {
            job.state = .failed
            job.endedAt = Date()
            try? store.save(job)
            throw error
        }
        try store.save(job)
        return job
    }

    /// `{files}` as a whole argument, at the start of one (`{files}/x.csv`) or of an option's value
    /// (`--receipt={files}/x.json`): the job's `files/` directory. Anywhere else — inside a note a person
    /// typed — it stays as it is.
    static func expandingFiles(_ argument: String, files: String) -> String {
        let token = "{files}"
        if argument == token || argument.hasPrefix(token + "/") {
            return files + argument.dropFirst(token.count)
        }
        if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "="),
            argument[argument.index(after: equals)...].hasPrefix(token + "/")
        {
            return String(argument[...equals]) + files
                + argument[argument.index(after: equals)...].dropFirst(token.count)
        }
        return argument
    }

    /// Runs one step of `job`; its end starts the next step or finishes the job.
    private func launch(_ job: ConsoleJob, step: Int) throws -> Int32 {
        let outputURL = store.outputFile(of: job.id, step: step)
        _ = FileManager.default.createFile(
            atPath: outputURL.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let output = try FileHandle(forWritingTo: outputURL)
        let errors = try FileHandle(forWritingTo: store.errorFile(of: job.id))
        try errors.seekToEnd()
        let input = Pipe()
        let process = launcher.process(
            arguments: job.steps[step], user: job.user, output: output, errors: errors, input: input)
        let id = job.id
        process.terminationHandler = { process in
            let status = process.terminationStatus
            try? output.close()
            try? errors.close()
            Task { await self.stepEnded(id: id, step: step, status: status) }
        }
        try process.run()
        try? inputs.removeValue(forKey: id)?.fileHandleForWriting.close()
        inputs[id] = input
        return process.processIdentifier
    }

    private func stepEnded(id: String, step: Int, status: Int32) {
        guard var job = store.job(id) else { return }
        if status == 0, step + 1 < job.steps.count {
            job.step = step + 1
            do {
                // A following step may name what the previous ones produced (``ProducedFileArgument``).
                job.followingSteps[step] = try ProducedFileArgument.resolve(
                    job.followingSteps[step], store: store, job: id)
                job.pid = try launch(job, step: step + 1)
                try? store.save(job)
                return
            } catch {
                appendMessage(String(describing: error), to: id)
                job.exitCode = 1
            }
        } else {
            job.exitCode = status
        }
        try? inputs.removeValue(forKey: id)?.fileHandleForWriting.close()
        job.state = job.exitCode == 0 ? .succeeded : .failed
        job.endedAt = Date()
        try? store.save(job)
    }

    /// A sentence of the console's own in the job's standard error, where the job page reads the reason of
    /// a failure.
    private func appendMessage(_ sentence: String, to id: String) {
        guard let handle = try? FileHandle(forWritingTo: store.errorFile(of: id)) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data((sentence + "\n").utf8))
    }

    /// Waits until the job is no longer running (tests, and pages that chain a short job).
    public func wait(for id: String, pollEvery interval: Duration = .milliseconds(100)) async throws -> ConsoleJob? {
        while let job = store.job(id) {
            if job.state != .running { return job }
            try await Task.sleep(for: interval)
        }
        return nil
    }

    /// At start: jobs a previous console left `running` died with it (their standard input closed when it
    /// went away). They are marked interrupted, and — when there was any — `doctor` cleans what an
    /// interrupted import leaves behind, as a job of its own that the jobs page shows.
    @discardableResult
    public func recoverInterrupted(now: Date = Date()) -> [ConsoleJob] {
        var interrupted: [ConsoleJob] = []
        for var job in store.recent(limit: .max) where job.state == .running {
            if let pid = job.pid { Self.waitForExit(pid: pid) }
            job.state = .interrupted
            job.endedAt = now
            try? store.save(job)
            interrupted.append(job)
        }
        if !interrupted.isEmpty {
            _ = try? start(
                kind: "doctor", title: "Doctor after \(interrupted.count) interrupted job(s)", user: "console",
                arguments: ["doctor"], now: now)
        }
        return interrupted
    }

    /// A job of the previous console still stopping (it saw its input close): give it a few seconds, so that
    /// `doctor` does not race its own cleanup.
    private static func waitForExit(pid: Int32) {
        for _ in 0..<50 {
            guard kill(pid, 0) == 0, Self.isTransfert(pid: pid) else { return }
            usleep(100_000)
        }
    }

    private static func isTransfert(pid: Int32) -> Bool {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        return String(decoding: data, as: UTF8.self).contains("transfert")
    }
}
