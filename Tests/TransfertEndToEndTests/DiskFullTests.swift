import Foundation
import Testing

/// Issue #15, disk full: export and import under a file-size limit (`ulimit -f`, which fails writes the
/// way a full disk or a quota does) stop with a clear error, leave nothing half-written, release their
/// locks, lose nothing on the source, and the same command succeeds once there is room.
@Suite("Disk full")
struct DiskFullTests {
    /// Runs transfert under `ulimit -f` (KiB).
    func limited(_ workspace: Workspace, kib: Int, _ arguments: [String], hosting: String) throws -> ProcessResult {
        let command = (["ulimit -f \(kib); exec", transfertBinary, "--hosting", workspace.path(hosting)] + arguments)
            .map { $0.hasPrefix("ulimit") ? $0 : "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(
                separator: " ")
        return try run("/bin/sh", ["-c", command], currentDirectory: workspace.url)
    }

    func fingerprint(_ directory: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            result[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        }
        return result
    }

    @Test func anExportThatRunsOutOfRoomLeavesNothingAndLosesNothing() throws {
        let workspace = try Workspace()
        try workspace.initHosting("source")
        try workspace.succeed(["sample", "--structures", "2", "--students", "100", "--seed", "5"], hosting: "source")
        let before = try fingerprint(workspace.path("source/bases"))
        let out = workspace.path("out")
        let failed = try limited(workspace, kib: 300, ["export", "--all", "--out", out], hosting: "source")
        #expect(failed.status != 0)
        #expect(failed.stderr.contains("cannot write the bundle in \(out): File too large"), "\(failed.transcript)")
        #expect(failed.stderr.contains("Nothing was written and every lock was released"))
        #expect(
            !FileManager.default.fileExists(atPath: out),
            "no partial file, hidden or not, nor the --out directory it made")
        #expect(try workspace.sqlite("source/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")
        #expect(try fingerprint(workspace.path("source/bases")) == before, "the source is untouched")
        try workspace.succeed(["export", "--all", "--out", out], hosting: "source")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).filter { !$0.hasPrefix(".") }.count == 2)
    }

    @Test func anImportThatRunsOutOfRoomLeavesNothingAndCompletesLater() throws {
        let workspace = try Workspace()
        try workspace.initHosting("source")
        try workspace.succeed(["sample", "--structures", "2", "--students", "100", "--seed", "5"], hosting: "source")
        try workspace.succeed(["export", "--all", "--out", workspace.path("out")], hosting: "source")
        let zip = try #require(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path("out")).first { $0.hasSuffix(".zip") })
        let bundle = workspace.path("out/" + zip.dropLast(4))
        try workspace.initHosting("target", name: "serveur-b")
        let failed = try limited(workspace, kib: 2000, ["import", bundle + ".csv", bundle + ".zip"], hosting: "target")
        #expect(failed.status != 0)
        #expect(
            failed.stdout.contains("could not be written")
                && failed.stdout.contains("the disk is probably full, or a file-size limit or quota was reached"),
            "\(failed.transcript)")
        #expect(try workspace.sqlite("target/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0")
        #expect(try workspace.sqlite("target/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: workspace.path("target/bases"))) ?? []).isEmpty)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: workspace.path("target/files"))) ?? []).isEmpty)
        let retried = try workspace.succeed(["import", bundle + ".csv", bundle + ".zip"], hosting: "target")
        #expect(retried.stdout.contains("2 imported"), "\(retried.transcript)")
    }
}
