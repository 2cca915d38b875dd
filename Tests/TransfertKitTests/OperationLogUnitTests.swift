import Foundation
import Logging
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

@Suite("Operations log: redaction and rotation")
struct OperationLogUnitTests {
    /// The log writes to the logger it is given (the command line gives one over log/transfert.log):
    /// a success at info, a failure at error, with who, what and where as metadata.
    @Test func entriesGoToTheLoggerPassedIn() {
        let (logger, store) = RecordingLogHandler.logger()
        let log = OperationLog(logger: logger)
        log.record(
            command: "lock add", arguments: ["lock", "add", "--ids", "2", "--password", "p"], establishments: [2],
            outcome: .succeeded, duration: 0.25, error: nil)
        log.record(
            command: "export", arguments: ["export"], establishments: [], outcome: .failed, duration: 1,
            error: "disk full")
        let entries = store.entries
        #expect(entries.map(\.level) == [.info, .error])
        #expect(entries.map(\.message) == ["lock add succeeded", "export failed"])
        #expect(
            entries[0].metadata["command"] == "lock add"
                && entries[0].metadata["establishments"] == .array([.stringConvertible(Int64(2))]))
        #expect(
            entries[0].metadata["arguments"]
                == .array(["lock", "add", "--ids", "2", "--password", "<redacted>"].map { .string($0) }))
        #expect(entries[0].metadata["duration_seconds"] == "0.250" && entries[0].metadata["error"] == nil)
        #expect(entries[1].metadata["error"] == "disk full" && entries[1].metadata["outcome"] == "failed")
    }

    @Test func secretsAreRedacted() {
        #expect(
            OperationLog.redacted(["init", "--database-url", "mysql://op:Hunter2@db:3306/registry"])
                == ["init", "--database-url", "mysql://op:<redacted>@db:3306/registry"])
        #expect(
            OperationLog.redacted([
                "x", "--password", "p", "--api-token=t", "--password-file", "/etc/pw", "--reason", "mot de passe",
            ])
                == [
                    "x", "--password", "<redacted>", "--api-token=<redacted>", "--password-file", "/etc/pw", "--reason",
                    "mot de passe",
                ])
        #expect(
            OperationLog.redacted(["see smtp://u:pw@relay and https://example.org/a:b@c"])
                == ["see smtp://u:<redacted>@relay and https://example.org/a:b@c"])
    }

    @Test func theFileRotatesBySizeAndKeepsEveryLine() throws {
        let directory = try TemporaryDirectory()
        let file = RotatingLogFile(url: directory.path("log/transfert.log"), maximumBytes: 1_000, keptFiles: 3)
        let lines = (0..<100).map { "ligne \($0) " + String(repeating: "é", count: 20) }
        for line in lines { try file.append(line) }
        let base = directory.path("log/transfert.log").path
        let kept = try
            ([base + ".3", base + ".2", base + ".1", base].filter { FileManager.default.fileExists(atPath: $0) })
            .flatMap { try String(contentsOfFile: $0, encoding: .utf8).split(separator: "\n").map(String.init) }
        #expect(kept == Array(lines.suffix(kept.count)), "the newest lines, in order, none cut")
        #expect(!FileManager.default.fileExists(atPath: base + ".4"))
        for path in [base, base + ".1"] {
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0 <= 1_000)
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        }
    }

    @Test func twoWritersAtOnceLoseNothing() throws {
        let directory = try TemporaryDirectory()
        let url = directory.path("log/transfert.log")
        // Two handles on the same file, as two processes have: each line whole, every line there.
        let first = RotatingLogFile(url: url, maximumBytes: 4_000, keptFiles: 50)
        let second = RotatingLogFile(url: url, maximumBytes: 4_000, keptFiles: 50)
        DispatchQueue.concurrentPerform(iterations: 400) { index in
            try? (index.isMultiple(of: 2) ? first : second).append(
                "écrivain \(index % 2) ligne \(index) " + String(repeating: "x", count: 30))
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
        let all = try files.flatMap {
            try String(contentsOfFile: url.deletingLastPathComponent().appendingPathComponent($0).path, encoding: .utf8)
                .split(separator: "\n")
        }
        #expect(all.count == 400)
        #expect(all.allSatisfy { $0.hasPrefix("écrivain ") && $0.hasSuffix(String(repeating: "x", count: 30)) })
    }
}
