import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// A failed command takes back the output directories it made, and only those, and only while empty.
@Suite("Created output directory")
struct CreatedOutputDirectoryTests {
    func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("created-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("the levels it created are removed, the parent that existed stays")
    func removesWhatItCreated() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = try CreatedOutputDirectory.create(at: root.appendingPathComponent("a/b/c"))
        #expect(FileManager.default.fileExists(atPath: output.url.path))
        output.removeIfEmpty()
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("a").path))
        #expect(FileManager.default.fileExists(atPath: root.path))
    }

    @Test("a directory that already existed is never removed")
    func keepsAnExistingDirectory() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = try CreatedOutputDirectory.create(at: root)
        output.removeIfEmpty()
        #expect(FileManager.default.fileExists(atPath: root.path))
    }

    @Test("a directory it created that is no longer empty stays, with its parents")
    func keepsANonEmptyDirectory() throws {
        let root = try scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = try CreatedOutputDirectory.create(at: root.appendingPathComponent("a/b"))
        try Data("kept".utf8).write(to: output.url.appendingPathComponent("note.txt"))
        output.removeIfEmpty()
        #expect(FileManager.default.fileExists(atPath: output.url.appendingPathComponent("note.txt").path))
    }
}
