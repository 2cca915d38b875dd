import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The restore workflow on a SQLite hosting: all or nothing, whatever fails after the staging.
@Suite("Restore workflow")
struct RestoreWorkflowTests {
    struct Stop: Error {}

    /// Digests of every table of `id`, and its uploaded files' names and sizes.
    func state(_ hosting: Hosting, _ id: Int64) throws -> ([TableDigest], [String]) {
        let digests = try hosting.establishments.read(baseID: id) { try $0.tableDigests() }
        let root = hosting.filesDirectory(baseID: id)
        let files = (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).sorted().map {
            name in
            "\(name) \((try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(name).path)[.size] as? NSNumber)??.intValue ?? -1)"
        }
        return (digests, files)
    }

    @Test func aFailureAfterTheStagingLeavesTheEstablishmentAsItWasAndTheSafetyBackupTaken() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        try SampleGenerator(structures: 2, students: 6, seed: 11).fill(hosting)
        // The bundle of establishment 2, restored into establishment 1.
        let bundle = try Exporter(hosting: hosting).run(
            ExportOptions(selection: .ids([2]), outputDirectory: directory.path("out")))
        let before = try state(hosting, 1)
        let backups = LockedBox<[String]>([])
        let backupURL = directory.path("backup.zip")
        let restorer = EstablishmentRestorer(
            hosting: hosting,
            safetyBackup: SafetyBackupClosure { structure in
                backups.set(backups.get() + ["\(structure.baseID)"])
                return backupURL
            })
        var options = RestoreOptions(mode: .replace)
        options.beforeSwap = { throw Stop() }
        #expect(throws: RestoreError.self) {
            try restorer.run(csv: bundle.csv, zip: bundle.zip, into: 1, options: options)
        }
        #expect(backups.get() == ["1"], "the safety backup comes first")
        let after = try state(hosting, 1)
        #expect(after.0 == before.0, "every table digest as before")
        #expect(after.1 == before.1, "every uploaded file as before")
        #expect(try hosting.registry.locks().isEmpty, "the restore lock is released on failure")
        let leftovers = try FileManager.default.contentsOfDirectory(
            atPath: hosting.directory.appendingPathComponent("bases").path)
        #expect(leftovers.sorted() == ["base_1.sqlite", "base_2.sqlite"])
        let files = try FileManager.default.contentsOfDirectory(
            atPath: hosting.directory.appendingPathComponent("files").path)
        #expect(!files.contains { $0.hasPrefix(".restore") }, "\(files)")

        // Without the failure, the same restore gives establishment 1 establishment 2's content and files.
        options.beforeSwap = {}
        let report = try restorer.run(csv: bundle.csv, zip: bundle.zip, into: 1, options: options)
        #expect(report.checksPass)
        #expect(try state(hosting, 1).0 == (try state(hosting, 2).0))
        #expect(try state(hosting, 1).1 == (try state(hosting, 2).1))
    }
}

/// A value shared with a `@Sendable` closure.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ new: Value) { lock.withLock { value = new } }
}
