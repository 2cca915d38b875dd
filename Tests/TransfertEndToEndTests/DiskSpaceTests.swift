import Foundation
import Testing

/// Whether a tmpfs can be mounted in a private mount namespace here (root, `unshare`).
private let tmpfsWorks: Bool = {
    guard let unshare = which("unshare") else { return false }
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("transfert-tmpfs-probe-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return (try? run(unshare, ["-m", "/bin/sh", "-c", "mount -t tmpfs -o size=64k tmpfs '\(directory.path)'"]))?.status
        == 0
}()

/// Free disk space is asked before anything is written: an import whose databases do not fit in the
/// hosting's disk, and a `verify --deep` whose scratch databases do not fit in `$TMPDIR`, are refused with
/// the bytes needed and available and the place, and leave nothing. The disk is a 64 KiB tmpfs mounted in
/// a private mount namespace (`unshare -m`), which needs root (as `make test` and CI run): where it cannot
/// be mounted the tests fail with that reason rather than skip. `ZIPReaderTests` checks the same logic with
/// the free space injected.
@Suite("Free disk space")
struct DiskSpaceTests {
    init() throws {
        try #require(
            tmpfsWorks,
            "a 64 KiB tmpfs could not be mounted (`unshare -m` + `mount -t tmpfs` need root): run the tests as root")
    }

    /// Runs `command` (words, quoted here) with a 64 KiB tmpfs mounted on `mountPoint`, in its own namespace.
    func onSmallDisk(_ mountPoint: String, _ command: [String], environment: String = "") throws -> ProcessResult {
        let quoted = command.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        return try run(
            try #require(which("unshare")),
            [
                "-m", "/bin/sh", "-c",
                "mount -t tmpfs -o size=64k tmpfs '\(mountPoint)' && \(environment) exec \(quoted)",
            ])
    }

    func exported(_ workspace: Workspace) throws -> String {
        try workspace.initHosting("source")
        try workspace.succeed(["sample", "--structures", "1", "--students", "5", "--seed", "3"], hosting: "source")
        try workspace.succeed(["export", "--all", "--out", workspace.path("out")], hosting: "source")
        let zip = try #require(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path("out")).first { $0.hasSuffix(".zip") })
        return workspace.path("out/" + zip.dropLast(4))
    }

    @Test func anImportThatCannotFitIsRefusedBeforeAnythingIsWritten() throws {
        let workspace = try Workspace()
        let bundle = try exported(workspace)
        try workspace.initHosting("target", name: "serveur-b")
        let bases = workspace.path("target/bases")
        try FileManager.default.createDirectory(atPath: bases, withIntermediateDirectories: true)
        let refused = try onSmallDisk(
            bases, [transfertBinary, "--hosting", workspace.path("target"), "import", bundle + ".csv", bundle + ".zip"])
        #expect(refused.status != 0)
        #expect(
            refused.stderr.contains("not enough free disk space in \(bases)")
                && refused.stderr.contains("bytes are needed")
                && refused.stderr.contains("are available"), "\(refused.transcript)")
        #expect(!refused.stderr.contains("Fatal error"))
        #expect(try workspace.sqlite("target/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0")
        #expect(try workspace.sqlite("target/registry.sqlite", "SELECT COUNT(*) FROM structure_lock") == "0")
        #expect(try FileManager.default.contentsOfDirectory(atPath: bases).isEmpty)
        // With room, the same import goes through.
        let imported = try workspace.succeed(["import", bundle + ".csv", bundle + ".zip"], hosting: "target")
        #expect(imported.stdout.contains("1 imported"), "\(imported.transcript)")
    }

    @Test func aDryRunReportsTheShortfallTheImportWouldBeRefusedFor() throws {
        let workspace = try Workspace()
        let bundle = try exported(workspace)
        try workspace.initHosting("target", name: "serveur-b")
        let bases = workspace.path("target/bases")
        try FileManager.default.createDirectory(atPath: bases, withIntermediateDirectories: true)
        let target = [transfertBinary, "--hosting", workspace.path("target"), "import", "--dry-run"]
        let dryRun = try onSmallDisk(bases, target + [bundle + ".csv", bundle + ".zip"])
        #expect(dryRun.status != 0, "\(dryRun.transcript)")
        #expect(
            dryRun.stderr.contains("not enough free disk space in \(bases)")
                && dryRun.stderr.contains("bytes are needed"), "\(dryRun.transcript)")
        #expect(!dryRun.stderr.contains("Fatal error"))
        let json = try onSmallDisk(bases, target + ["--json", bundle + ".csv", bundle + ".zip"])
        #expect(json.status != 0)
        #expect((json.stdout + json.stderr).contains("\"disk.insufficient_space\""), "\(json.transcript)")
        // With room, the dry run is clean.
        try workspace.succeed(["import", "--dry-run", bundle + ".csv", bundle + ".zip"], hosting: "target")
    }

    @Test func aDeepVerificationThatCannotFitItsScratchDatabasesIsRefused() throws {
        let workspace = try Workspace()
        let bundle = try exported(workspace)
        let scratch = workspace.path("scratch")
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let refused = try onSmallDisk(
            scratch, [transfertBinary, "verify", "--deep", bundle + ".csv", bundle + ".zip"],
            environment: "TMPDIR='\(scratch)'")
        #expect(refused.status != 0)
        #expect(
            (refused.stdout + refused.stderr).contains("not enough free disk space in \(scratch)"),
            "\(refused.transcript)")
        #expect((refused.stdout + refused.stderr).contains("scratch databases of verify --deep"))
    }
}
