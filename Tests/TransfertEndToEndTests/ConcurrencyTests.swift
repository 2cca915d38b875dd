import Foundation
import Testing

/// Issue #15, commands at the same time on one hosting: two imports never hand out one id twice and both
/// complete; an export and a `structure remove` of the same establishment never leave a half-exported
/// bundle or a half-removed establishment; nothing deadlocks.
@Suite("Concurrent commands")
struct ConcurrencyTests {
    /// Starts transfert without waiting.
    func start(_ workspace: Workspace, _ arguments: [String], hosting: String, input: String? = nil) throws -> (
        Process, Pipe, Pipe
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: transfertBinary)
        process.arguments = ["--hosting", workspace.path(hosting)] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let input {
            let stdin = Pipe()
            process.standardInput = stdin
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        try process.run()
        return (process, out, err)
    }

    func finish(_ started: (Process, Pipe, Pipe), within seconds: Double = 120) -> ProcessResult {
        let (process, out, err) = started
        let deadline = Date().addingTimeInterval(seconds)
        nonisolated(unsafe) var output = Data()
        nonisolated(unsafe) var errors = Data()
        let readers = [
            Thread { output = out.fileHandleForReading.readDataToEndOfFile() },
            Thread { errors = err.fileHandleForReading.readDataToEndOfFile() },
        ]
        for reader in readers { reader.start() }
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        while readers.contains(where: { !$0.isFinished }) { usleep(1_000) }
        return ProcessResult(
            status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
            stderr: String(decoding: errors, as: UTF8.self))
    }

    func bundle(_ workspace: Workspace, _ directory: String) throws -> (csv: String, zip: String) {
        let zip = try #require(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path(directory)).first {
                $0.hasSuffix(".zip")
            })
        let base = workspace.path(directory + "/" + zip.dropLast(4))
        return (base + ".csv", base + ".zip")
    }

    @Test func twoImportsAtOnceGetDistinctIdsAndBothComplete() throws {
        let workspace = try Workspace()
        for (name, seed) in [("a", "5"), ("b", "6")] {
            try workspace.initHosting(name, name: "serveur-\(name)")
            try workspace.succeed(["sample", "--structures", "3", "--students", "60", "--seed", seed], hosting: name)
            try workspace.succeed(["export", "--all", "--out", workspace.path("out-\(name)")], hosting: name)
        }
        try workspace.initHosting("target", name: "serveur-c")
        let (a, b) = (try bundle(workspace, "out-a"), try bundle(workspace, "out-b"))
        let first = try start(workspace, ["import", a.csv, a.zip], hosting: "target")
        let second = try start(workspace, ["import", b.csv, b.zip], hosting: "target")
        let results = [finish(first), finish(second)]
        for result in results { #expect(result.status == 0, "\(result.transcript)") }
        let ids = try workspace.sqlite(
            "target/registry.sqlite", "SELECT base_id FROM structure WHERE status = 'active' ORDER BY base_id")
        #expect(ids.split(separator: "\n") == ["1", "2", "3", "4", "5", "6"], "six establishments, six ids: \(ids)")
        #expect(try workspace.sqlite("target/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")
        // Each source's establishments arrived whole: the target verifies against each bundle's digests.
        for bundle in [a, b] {
            #expect(
                try workspace.transfert(["verify", "--deep", bundle.csv, bundle.zip], hosting: "target").status == 0)
        }
    }

    @Test func anExportAndARemovalOfTheSameEstablishmentNeverMeetHalfway() throws {
        let workspace = try Workspace()
        try workspace.initHosting("source")
        try workspace.succeed(["sample", "--structures", "3", "--students", "150", "--seed", "7"], hosting: "source")
        // The bundle that justifies the removal, made first; then a second export runs during the removal.
        try workspace.succeed(["export", "--ids", "2", "--out", workspace.path("moved")], hosting: "source")
        let moved = try bundle(workspace, "moved")
        let export = try start(workspace, ["export", "--all", "--out", workspace.path("out")], hosting: "source")
        usleep(100_000)
        let removal = try start(
            workspace, ["structure", "remove", "--yes", "--ids", "2", "--verified-by", moved.csv, moved.zip],
            hosting: "source")
        let exported = finish(export)
        let removed = finish(removal)
        #expect(exported.status == 0 || exported.stderr.contains("Nothing was written"), "\(exported.transcript)")
        let remaining = try workspace.sqlite("source/registry.sqlite", "SELECT COUNT(*) FROM structure")
        if removed.status == 0 {
            #expect(remaining == "2")
            #expect(!FileManager.default.fileExists(atPath: workspace.path("source/bases/base_2.sqlite")))
        } else {
            #expect(remaining == "3", "a refused removal removes nothing: \(removed.transcript)")
            #expect(
                removed.stderr.contains("lock") || removed.stderr.contains("Sauvegarde")
                    || removed.stderr.contains("export"), "\(removed.transcript)")
        }
        if exported.status == 0 {
            let files = try bundle(workspace, "out")
            let verified = try workspace.transfert(["verify", "--deep", files.csv, files.zip], hosting: "source")
            #expect(verified.status == 0, "the bundle written is whole: \(verified.transcript)")
        }
        #expect(try workspace.sqlite("source/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")
    }
}

/// An application that keeps writing while its establishment is exported.
@Suite("Export during writes")
struct ConcurrentWriterTests {
    /// Each transaction writes one message and one report with the same marker; a dump that holds one
    /// without the other would be a torn snapshot.
    static let writer = """
        import sqlite3, sys, time
        db = sqlite3.connect(sys.argv[1], timeout=120, isolation_level=None)
        stop = time.time() + float(sys.argv[2])
        n, longest = 0, 0.0
        while time.time() < stop:
            started = time.time()
            db.execute('BEGIN IMMEDIATE')
            db.execute("INSERT INTO messages (author_id, title, body, starts_on, ends_on) VALUES (1, ?, 'x', '2026-01-01', '2026-01-02')", ('w%d' % n,))
            db.execute("INSERT INTO reports (student_id, period, content, generated_at) VALUES (1, ?, 'x', '2026-01-01')", ('w%d' % n,))
            db.execute('COMMIT')
            longest = max(longest, time.time() - started)
            n += 1
        print(n, round(longest, 3))
        """

    @Test func anExportIsOneSnapshotWhileTheApplicationWrites() throws {
        let workspace = try Workspace()
        try workspace.initHosting("source")
        try workspace.succeed(["sample", "--structures", "1", "--students", "300", "--seed", "9"], hosting: "source")
        let python = try #require(which("python3"))
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: python)
        writer.arguments = ["-c", Self.writer, workspace.path("source/bases/base_1.sqlite"), "6"]
        let output = Pipe()
        writer.standardOutput = output
        try writer.run()
        usleep(300_000)
        try workspace.succeed(["export", "--ids", "1", "--out", workspace.path("out")], hosting: "source")
        writer.waitUntilExit()
        let written = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(
            separator: " ")
        #expect(writer.terminationStatus == 0 && written.count == 2, "the writer ran: \(written)")

        // Restored elsewhere, the dump holds whole transactions only: the same markers in both tables.
        let zip = try #require(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path("out")).first { $0.hasSuffix(".zip") })
        let bundle = workspace.path("out/" + zip.dropLast(4))
        try workspace.initHosting("target", name: "serveur-b")
        try workspace.succeed(["import", bundle + ".csv", bundle + ".zip"], hosting: "target")
        let messages = try workspace.sqlite(
            "target/bases/base_1.sqlite", "SELECT title FROM messages WHERE title LIKE 'w%' ORDER BY 1")
        let reports = try workspace.sqlite(
            "target/bases/base_1.sqlite", "SELECT period FROM reports WHERE period LIKE 'w%' ORDER BY 1")
        #expect(
            messages == reports,
            "a torn snapshot: \(messages.split(separator: "\n").count) messages, \(reports.split(separator: "\n").count) reports"
        )
        // The writer went on after the export: the source has more than the dump.
        let after = try workspace.sqlite(
            "source/bases/base_1.sqlite", "SELECT COUNT(*) FROM messages WHERE title LIKE 'w%'")
        #expect((Int(after) ?? 0) >= messages.split(separator: "\n").count)
    }
}
