import Foundation
import HTTPTypes
import Testing

@testable import TransfertConsole
@testable import TransfertKit

/// The verify page: a bundle uploaded or picked in the server's import directory, verified by a job whose
/// page gives the verdict and each problem; unsafe names, oversized uploads and auditors refused.
@Suite("Console verify")
struct VerifyPagesTests {
    /// A bundle of establishments 1 and 2 exported by the command line into `directory`: (CSV, ZIP).
    static func bundle(_ harness: ConsoleHarness, into directory: URL) async throws -> (csv: URL, zip: URL) {
        let exported = try await harness.services.commands.run(
            ["export", "--ids", "1,2", "--out", directory.path], user: "test")
        #expect(exported.succeeded)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let csv = try #require(names.first { $0.hasSuffix(".csv") })
        let zip = try #require(names.first { $0.hasSuffix(".zip") })
        return (directory.appendingPathComponent(csv), directory.appendingPathComponent(zip))
    }

    /// The ZIP with one byte of its first non-empty entry's data flipped: still a ZIP, with a wrong CRC.
    static func tampered(_ zip: URL) throws -> [UInt8] {
        var bytes = [UInt8](try Data(contentsOf: zip))
        var offset = 0
        func word(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        while offset + 30 < bytes.count, bytes[offset..<offset + 4] == [0x50, 0x4B, 0x03, 0x04] {
            let size = word(offset + 18) | word(offset + 20) << 16
            let start = offset + 30 + word(offset + 26) + word(offset + 28)
            if size > 0 {
                bytes[start + size / 2] ^= 0xFF
                return bytes
            }
            offset = start
        }
        Issue.record("no entry with data in \(zip.lastPathComponent)")
        return bytes
    }

    static func uploads(_ harness: ConsoleHarness) -> [String] {
        let root = harness.hosting.directory.appendingPathComponent(UploadReceiver.relativePath)
        return (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
    }

    @Test("An uploaded bundle is verified deeply: verdict ok, each establishment OK")
    func uploadedBundleVerifies() async throws {
        let harness = try ConsoleHarness(establishments: 2)
        let services = harness.services
        let files = try await Self.bundle(harness, into: harness.temporary.path("exports"))
        let csv = [UInt8](try Data(contentsOf: files.csv))
        let zip = [UInt8](try Data(contentsOf: files.zip))
        try await harness.test { browser in
            try await browser.signIn("marie")
            let form = try await browser.get("/verify")
            #expect(form.body.contains("id=\"verify-upload\""))
            #expect(form.body.contains("enctype=\"multipart/form-data\""))
            let started = try await browser.upload(
                "/verify/upload", files: [("csv", "bundle.csv", csv), ("zip", "bundle.zip", zip)],
                fields: [("deep", "on")])
            let id = try #require(ExportPagesTests.jobID(started))
            let job = try #require(try await services.jobs.wait(for: id))
            #expect(job.state == .succeeded)
            #expect(job.arguments.contains("--deep"))
            let page = try await browser.get("/jobs/\(id)")
            #expect(page.body.contains("id=\"verification\" data-verdict=\"ok\""))
            #expect(page.body.contains("id=\"verified-establishments\""))
            #expect(page.body.components(separatedBy: "data-status=\"ok\"").count == 3)
            #expect(page.body.contains("Vérifié (approfondie) : 2 établissement(s) OK."))
            try await browser.post("/language", [("language", "en")])
            let english = try await browser.get("/jobs/\(id)")
            #expect(english.body.contains("Verified (deep): 2 establishment(s) OK."))
            let englishForm = try await browser.get("/verify")
            #expect(englishForm.body.contains("Upload and verify"))
        }
    }

    @Test("A ZIP with one byte flipped fails, with the report's problem and its place")
    func tamperedBundleFails() async throws {
        let harness = try ConsoleHarness(establishments: 2)
        let services = harness.services
        let files = try await Self.bundle(harness, into: harness.temporary.path("exports"))
        let csv = [UInt8](try Data(contentsOf: files.csv))
        let zip = try Self.tampered(files.zip)
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/verify")
            let started = try await browser.upload(
                "/verify/upload", files: [("csv", "bundle.csv", csv), ("zip", "bundle.zip", zip)])
            let id = try #require(ExportPagesTests.jobID(started))
            let job = try #require(try await services.jobs.wait(for: id))
            #expect(job.state == .failed)
            let page = try await browser.get("/jobs/\(id)")
            #expect(page.body.contains("id=\"verification\" data-verdict=\"failed\""))
            #expect(page.body.contains("id=\"verification-problems\""))
            // The command's own verdict sentence, and a problem naming where it is.
            #expect(page.body.contains("not verified"))
            #expect(page.body.contains("class=\"place\""))
        }
    }

    @Test(
        "An upload whose file name is a path, hidden or '..' is refused and leaves nothing",
        arguments: [
            "../bundle.csv", "a/b.csv", "..", ".hidden.csv", "C:\\\\x\\\\bundle.csv",
        ])
    func unsafeNames(name: String) async throws {
        let harness = try ConsoleHarness()
        let services = harness.services
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/verify")
            let refused = try await browser.upload(
                "/verify/upload", files: [("csv", name, Array("x".utf8)), ("zip", "bundle.zip", Array("PK".utf8))])
            #expect(refused.status == .badRequest)
            #expect(refused.body.contains("id=\"verify-error\""))
            #expect(services.jobs.store.recent().isEmpty)
        }
        #expect(Self.uploads(harness).isEmpty)
    }

    @Test(
        "An upload past console.upload_limit_mib is refused (413) and leaves no file",
        arguments: [
            3 * 1_048_576, 1_048_576 + 300_000,
        ])
    func tooLarge(bytes: Int) async throws {
        let harness = try ConsoleHarness(settings: ConsoleSettings(uploadLimitMiB: 1))
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/verify")
            let refused = try await browser.upload(
                "/verify/upload",
                files: [
                    ("csv", "bundle.csv", Array("x".utf8)),
                    ("zip", "bundle.zip", [UInt8](repeating: 0x50, count: bytes)),
                ])
            #expect(refused.status == .contentTooLarge)
            #expect(refused.body.contains("upload_limit_mib"))
        }
        #expect(Self.uploads(harness).isEmpty)
    }

    @Test("A form missing one of the two files is refused and its upload removed")
    func missingFile() async throws {
        let harness = try ConsoleHarness()
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/verify")
            let refused = try await browser.upload("/verify/upload", files: [("csv", "bundle.csv", Array("x".utf8))])
            #expect(refused.status == .badRequest)
        }
        #expect(Self.uploads(harness).isEmpty)
    }

    @Test("Files of the server's import directory are offered and verified; names leading elsewhere are refused")
    func serverFiles() async throws {
        let harness = try ConsoleHarness(establishments: 2)
        let services = harness.services
        let importDirectory = harness.hosting.directory.appendingPathComponent("import")
        let files = try await Self.bundle(harness, into: importDirectory)
        let outside = harness.temporary.path("outside.csv")
        try Data("secret".utf8).write(to: outside)
        try FileManager.default.createSymbolicLink(
            at: importDirectory.appendingPathComponent("link.csv"), withDestinationURL: outside)
        try await harness.test { browser in
            try await browser.signIn("marie")
            let form = try await browser.get("/verify")
            #expect(form.body.contains("id=\"verify-server\""))
            #expect(form.body.contains("<option value=\"\(files.csv.lastPathComponent)\">"))
            #expect(!form.body.contains("link.csv"))
            for name in ["../registry.sqlite", "link.csv", "/etc/passwd", "missing.csv", "import/x.csv"] {
                let refused = try await browser.post(
                    "/verify/server", [("csv", name), ("zip", files.zip.lastPathComponent)])
                #expect(refused.status == .badRequest, "\(name)")
                #expect(refused.body.contains("id=\"verify-error\""))
            }
            #expect(services.jobs.store.recent().isEmpty)
            let started = try await browser.post(
                "/verify/server",
                [("csv", files.csv.lastPathComponent), ("zip", files.zip.lastPathComponent), ("deep", "on")])
            let id = try #require(ExportPagesTests.jobID(started))
            let job = try #require(try await services.jobs.wait(for: id))
            #expect(job.state == .succeeded)
            let page = try await browser.get("/jobs/\(id)")
            #expect(page.body.contains("data-verdict=\"ok\""))
        }
    }

    @Test("An auditor sees no verify form and cannot start a verification")
    func auditor() async throws {
        let harness = try ConsoleHarness()
        let services = harness.services
        try await harness.test { browser in
            try await browser.signIn("paul")
            let page = try await browser.get("/verify")
            #expect(page.status == .ok)
            #expect(!page.body.contains("id=\"verify-upload\""))
            let refused = try await browser.upload(
                "/verify/upload", files: [("csv", "a.csv", Array("x".utf8)), ("zip", "a.zip", Array("PK".utf8))])
            #expect(refused.status == .forbidden)
            #expect(services.jobs.store.recent().isEmpty)
        }
        #expect(Self.uploads(harness).isEmpty)
    }
}
