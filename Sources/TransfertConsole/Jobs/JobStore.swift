import Foundation

/// The jobs of a hosting, one directory each under `console/jobs/`: `job.json` (the record),
/// `stdout.json` (the command's `--json` result), `stderr.log` (its progress lines and sentences) and
/// `files/` (what it produced: a bundle to download, letters…). Owner-only, like everything Transfert writes.
public struct JobStore: Sendable {
    public static let relativePath = "console/jobs"
    public let root: URL

    public init(hosting directory: URL) {
        self.root = directory.appendingPathComponent(Self.relativePath)
    }

    public func directory(of id: String) -> URL { root.appendingPathComponent(id, isDirectory: true) }
    public func filesDirectory(of id: String) -> URL { directory(of: id).appendingPathComponent("files") }
    func recordFile(of id: String) -> URL { directory(of: id).appendingPathComponent("job.json") }
    /// The `--json` result of the job's first command (`step` 0) or of a following one.
    public func outputFile(of id: String, step: Int = 0) -> URL {
        directory(of: id).appendingPathComponent(step == 0 ? "stdout.json" : "stdout-\(step).json")
    }
    public func errorFile(of id: String) -> URL { directory(of: id).appendingPathComponent("stderr.log") }

    /// Makes the job's directories and writes its first record.
    func create(_ job: ConsoleJob) throws {
        try FileManager.default.createDirectory(
            at: filesDirectory(of: job.id), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        try save(job)
    }

    /// Replaces the record (a temporary file renamed over it: readers see the old one or the new one).
    func save(_ job: ConsoleJob) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(job)
        let temporary = directory(of: job.id).appendingPathComponent(".job.json.tmp")
        try data.write(to: temporary)
        guard rename(temporary.path, recordFile(of: job.id).path) == 0 else {
            throw CocoaError(.fileWriteUnknown)
        }
    }

    /// The job of `id`; `nil` for an id that is not well formed or names no job.
    public func job(_ id: String) -> ConsoleJob? {
        guard ConsoleJob.isWellFormed(id: id), let data = try? Data(contentsOf: recordFile(of: id)) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(ConsoleJob.self, from: data)
    }

    /// Jobs ended more than `age` seconds ago, removed with what they produced: bundles and letters hold
    /// personal data, and a bundle is downloaded within hours of its export (SACoche keeps them an hour).
    public func purge(endedBefore age: TimeInterval, now: Date = Date()) {
        for job in recent(limit: .max) where job.state != .running {
            guard let ended = job.endedAt, now.timeIntervalSince(ended) > age else { continue }
            try? FileManager.default.removeItem(at: directory(of: job.id))
        }
    }

    /// The most recent jobs first.
    public func recent(limit: Int = 100) -> [ConsoleJob] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter(ConsoleJob.isWellFormed(id:)).sorted(by: >).prefix(limit).compactMap(job)
    }

    /// The command's JSON result, up to `limit` bytes (`nil` when there is none yet or it is larger).
    public func output(of id: String, step: Int = 0, limit: Int = 64 << 20) -> Data? {
        let url = outputFile(of: id, step: step)
        guard let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int,
            size > 0, size <= limit
        else { return nil }
        return try? Data(contentsOf: url)
    }

    /// The last `bytes` of the command's standard error: its latest progress lines and sentences.
    public func errorTail(of id: String, bytes: Int = 16_384) -> String {
        guard let handle = try? FileHandle(forReadingFrom: errorFile(of: id)) else { return "" }
        defer { try? handle.close() }
        let end = (try? handle.seekToEnd()) ?? 0
        let start = end > UInt64(bytes) ? end - UInt64(bytes) : 0
        try? handle.seek(toOffset: start)
        let data = (try? handle.readToEnd()) ?? Data()
        var text = String(decoding: data, as: UTF8.self)
        // A tail cut mid-line starts at the next whole line.
        if start > 0, let newline = text.firstIndex(of: "\n") { text = String(text[text.index(after: newline)...]) }
        return text
    }

    public func progress(of id: String) -> JobProgress? {
        guard let job = job(id) else { return nil }
        return JobProgress.latest(in: errorTail(of: id), state: job.state, exitCode: job.exitCode)
    }

    /// The human sentences of the command's standard error (its progress objects left out).
    public func messages(of id: String) -> [String] {
        errorTail(of: id).split(separator: "\n").filter { !$0.hasPrefix("{") }.map(String.init)
    }

    /// A file the job produced, by its plain name: `nil` for a name with a path in it, a hidden name, or
    /// anything but a regular file directly in the job's `files/` (no symbolic link is followed).
    public func producedFile(of id: String, named name: String) -> URL? {
        guard ConsoleJob.isWellFormed(id: id), UploadName.isPlain(name) else { return nil }
        let url = filesDirectory(of: id).appendingPathComponent(name)
        var status = stat()
        guard lstat(url.path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return url
    }

    /// The regular files a job produced, by name.
    public func producedFiles(of id: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: filesDirectory(of: id).path)) ?? []
        return names.filter { producedFile(of: id, named: $0) != nil }.sorted()
    }
}
