import Foundation
import HTTPTypes
import Testing

@testable import TransfertConsole
@testable import TransfertKit
@testable import TransfertModel

/// The import pages: a bundle the CLI exported from another hosting, uploaded (or picked in the server's
/// import directory), dry-run row by row, imported as a job, and followed by letters.
@Suite("Console import")
struct ImportPagesTests {
    /// Two sample establishments exported by the `transfert` binary from a hosting of their own, beside
    /// the console's: the CSV and the ZIP as a browser would upload them.
    struct Bundle {
        var csvName: String
        var zipName: String
        var csv: [UInt8]
        var zip: [UInt8]

        /// The CSV with `edit` applied to the values of its line `line` (1 is the header).
        func editing(line: Int, _ edit: (inout [String]) -> Void) -> Bundle {
            var lines = String(decoding: csv, as: UTF8.self).components(separatedBy: "\r\n")
            var values = lines[line - 1].components(separatedBy: ";")
            edit(&values)
            lines[line - 1] = values.joined(separator: ";")
            var copy = self
            copy.csv = Array(lines.joined(separator: "\r\n").utf8)
            return copy
        }

        var files: [(String, String, [UInt8])] { [("csv", csvName, csv), ("zip", zipName, zip)] }
    }

    static func exportedBundle(in harness: ConsoleHarness) throws -> Bundle {
        let source = try makeHosting(in: harness.temporary, name: "source")
        try transfert([
            "--hosting", source.directory.path, "sample", "--structures", "2", "--students", "5", "--seed", "21",
        ])
        let out = harness.temporary.path("out")
        try transfert(["--hosting", source.directory.path, "export", "--all", "--out", out.path])
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
        let csv = try #require(names.first { $0.hasSuffix(".csv") })
        let zip = try #require(names.first { $0.hasSuffix(".zip") })
        return Bundle(
            csvName: csv, zipName: zip, csv: Array(try Data(contentsOf: out.appendingPathComponent(csv))),
            zip: Array(try Data(contentsOf: out.appendingPathComponent(zip))))
    }

    /// Runs the binary and requires success.
    static func transfert(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = consoleJobBinary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "transfert \(arguments.joined(separator: " "))")
    }

    /// The rows of `table#id` in `html`: each row's cells, as HTML.
    static func rows(of id: String, in html: String) -> [[String]] {
        guard let start = html.range(of: "<table id=\"\(id)\">"),
            let end = html.range(of: "</table>", range: start.upperBound..<html.endIndex),
            let body = html.range(of: "<tbody>", range: start.upperBound..<end.lowerBound)
        else { return [] }
        let table = String(html[body.upperBound..<end.lowerBound])
        return table.components(separatedBy: "<tr>").dropFirst().map { row in
            row.components(separatedBy: "<td>").dropFirst().map { cell in
                cell.components(separatedBy: "</td>").first ?? ""
            }
        }
    }

    static func jobID(_ location: String?) throws -> String {
        let location = try #require(location)
        #expect(location.hasPrefix("/jobs/"))
        return String(location.dropFirst("/jobs/".count))
    }

    @Test(
        "An uploaded bundle is dry-run row by row with the ids it will get; the import job gives access URLs, the receipt and the letters"
    )
    func uploadDryRunImportLetters() async throws {
        let harness = try ConsoleHarness()
        let services = harness.services
        let hosting = harness.hosting
        let bundle = try Self.exportedBundle(in: harness)
        try await harness.test { browser in
            try await browser.signIn("marie")
            let form = try await browser.get("/import")
            #expect(form.body.contains("id=\"upload-form\""))
            #expect(form.body.contains("enctype=\"multipart/form-data\""))
            let uploaded = try await browser.upload("/import/upload", files: bundle.files)
            #expect(uploaded.status == .seeOther)
            let location = try #require(uploaded.headers[.location])
            #expect(location.hasPrefix("/import/"))
            let page = try await browser.get(location)
            #expect(page.status == .ok)
            let rows = Self.rows(of: "dry-run", in: page.body)
            #expect(rows.map { $0.first } == ["2", "3"])
            #expect(rows.map { $0[3] } == ["1", "2"])  // the ids this hosting gives
            #expect(page.body.contains("id=\"start-import\""))
            #expect(try hosting.registry.structures().isEmpty)  // a dry run imports nothing

            let started = try await browser.post(location, [("action", "start"), ("note", "déménagement de test")])
            #expect(started.status == .seeOther)
            let id = try Self.jobID(started.headers[.location])
            let job = try await services.jobs.wait(for: id)
            #expect(job?.state == .succeeded)
            #expect(try hosting.registry.structures().map(\.baseID).sorted() == [1, 2])

            let result = try await browser.get("/jobs/\(id)")
            #expect(
                result.body.contains(
                    "<p id=\"import-summary\" class=\"success\">2 importé(s), 0 en échec, 0 déjà là.</p>"))
            let imported = Self.rows(of: "import-result", in: result.body)
            #expect(imported.count == 2)
            #expect(imported.map { $0[2] } == ["1", "2"])
            #expect(result.body.contains("class=\"access-url\" href=\"https://test.example.org/?id=1\""))
            #expect(result.body.contains("class=\"access-url\" href=\"https://test.example.org/?id=2\""))
            let receiptName = bundle.zipName.replacingOccurrences(of: ".zip", with: ".receipt.json")
            #expect(result.body.contains("id=\"job-files\""))
            #expect(result.body.contains(">\(receiptName)</a>"))
            let receipt = try await browser.get("/jobs/\(id)/files/\(receiptName)")
            #expect(receipt.status == .ok)
            let signed = try JSONSerialization.jsonObject(with: Data(receipt.body.utf8)) as? [String: Any]
            #expect(signed != nil)

            // Letters: one per contact, previewed, nothing written yet.
            #expect(result.body.contains("id=\"letters-preview\" href=\"/import/letters/\(id)\""))
            let letters = try await browser.get("/import/letters/\(id)")
            #expect(letters.status == .ok)
            #expect(letters.body.components(separatedBy: "<article class=\"letter\"").count - 1 == 2)
            for structure in try hosting.registry.structures() {
                #expect(letters.body.contains("&lt;\(structure.contactCourriel.rawValue)&gt;"))
            }
            #expect(letters.body.contains("https://test.example.org/?id=1"))
            #expect(letters.body.contains("<article class=\"letter\" data-id=\"1\" lang=\"fr\">"))  // French by default
            #expect(letters.body.contains("id=\"send-letters\""))
            #expect(letters.body.contains("id=\"no-relay\""))
            let outbox = hosting.directory.appendingPathComponent("outbox")
            #expect(
                ((try? FileManager.default.contentsOfDirectory(atPath: outbox.path)) ?? []).filter {
                    $0.hasSuffix(".eml")
                }.isEmpty)

            // Sent without a relay (and from a real sender): queued, then the command's own refusal.
            let yaml = hosting.directory.appendingPathComponent("transfert.yaml")
            let configuration = try String(contentsOf: yaml, encoding: .utf8)
            try configuration.replacingOccurrences(of: "webmestre@example.org", with: "webmestre@b.sacoche-hosting.fr")
                .write(to: yaml, atomically: true, encoding: .utf8)
            let send = try await browser.post("/import/letters/\(id)", [])
            #expect(send.status == .seeOther)
            let lettersJob = try Self.jobID(send.headers[.location])
            let ended = try await services.jobs.wait(for: lettersJob)
            #expect(ended?.state == .failed)
            let refusal = try await browser.get("/jobs/\(lettersJob)")
            #expect(refusal.body.contains("no SMTP relay is configured"))
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: outbox.path).filter { $0.hasSuffix(".eml") }.count
                    == 2)
            // Back on the preview: the earlier send is named before the button, so nobody sends twice unknowingly.
            let again = try await browser.get("/import/letters/\(id)")
            #expect(again.body.contains("id=\"earlier-sends\""))
            #expect(again.body.contains("href=\"/jobs/\(lettersJob)\""))
        }
    }

    @Test("Letters sent through a relay: the job's page shows each recipient sent, or refused with the relay's reply")
    func lettersDelivered() async throws {
        let harness = try ConsoleHarness()
        let services = harness.services
        let hosting = harness.hosting
        let bundle = try Self.exportedBundle(in: harness)
        let sink = try LoopbackSMTPSink()
        defer { sink.stop() }
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/import")
            let uploaded = try await browser.upload("/import/upload", files: bundle.files)
            let location = try #require(uploaded.headers[.location])
            try await browser.get(location)
            let started = try await browser.post(location, [("action", "start")])
            let id = try Self.jobID(started.headers[.location])
            #expect(try await services.jobs.wait(for: id)?.state == .succeeded)
            let contacts = try hosting.registry.structures().sorted { $0.baseID < $1.baseID }.map(
                \.contactCourriel.rawValue)
            try #require(contacts.count == 2)
            sink.refuse(contacts[1])
            let yaml = hosting.directory.appendingPathComponent("transfert.yaml")
            let configuration = try String(contentsOf: yaml, encoding: .utf8)
                .replacingOccurrences(of: "webmestre@example.org", with: "webmestre@b.sacoche-hosting.fr")
            try (configuration + "\nsmtp:\n  host: \"127.0.0.1\"\n  port: \(sink.port)\n  security: none\n")
                .write(to: yaml, atomically: true, encoding: .utf8)
            try await browser.get("/import/letters/\(id)")
            let send = try await browser.post("/import/letters/\(id)", [])
            let lettersJob = try Self.jobID(send.headers[.location])
            #expect(try await services.jobs.wait(for: lettersJob)?.state == .failed)  // exit 3: one refused
            let page = try await browser.get("/jobs/\(lettersJob)")
            let rows = Self.rows(of: "letters-result", in: page.body)
            #expect(rows.count == 2)
            let sent = try #require(rows.first { $0[1] == contacts[0] })
            #expect(sent[3].contains("data-state=\"sent\""))
            let refused = try #require(rows.first { $0[1] == contacts[1] })
            #expect(refused[3].contains("data-state=\"failed\""))
            #expect(refused[4].contains("550"))
            #expect(sink.received() == 1)
        }
    }

    @Test(
        "A partly failed import (TransfertKit's own report, encoded): each failure with its problem, and the advice to run it again"
    )
    func partlyFailedResult() throws {
        func outcome(_ line: Int, _ id: Int64?, _ kind: ImportOutcome.Kind, problem: Problem? = nil) -> ImportOutcome {
            ImportOutcome(
                line: line, newID: id, idExport: Int64(line - 1), guid: "g\(line)", zoneID: 1, localisation: "Paris",
                denomination: "Collège \(line)", uai: nil, contactNom: "N", contactPrenom: "P",
                contactCourriel: "p@ac-paris.fr", accessURL: id.map { "https://b.example.org/?id=\($0)" },
                outcome: kind,
                reason: problem?.message, problem: problem, tables: 1, rows: 1)
        }
        var report = ImportReport(csv: "b.csv", zip: "b.zip", dryRun: false, resumed: false, cleanedLeftovers: [])
        let refused = Problem(
            code: .dumpRefused, message: "a row <b>refused</b>",
            location: ProblemLocation(file: "base_2/data.sql", line: 42, establishment: "base_2"))
        report.establishments = [outcome(2, 7, .imported), outcome(3, nil, .failed, problem: refused)]
        let result = CommandResult(exitCode: 3, output: try JSONEncoder().encode(report), messages: "")
        let job = ConsoleJob(
            id: "20261207-120000-abcdefghij", kind: ImportJob.kind, title: "Import", user: "marie", arguments: [],
            establishments: [], startedAt: Date())
        let html = ImportResultView.render(job: job, result: result, language: .en).text
        #expect(html.contains("<p id=\"import-summary\" class=\"failure\">1 imported, 1 failed, 0 already there."))
        #expect(html.contains("run the same import again"))
        let rows = Self.rows(of: "import-result", in: html)
        #expect(rows.count == 2)
        #expect(rows[1][2] == "—")
        #expect(rows[1][5].contains("data-outcome=\"failed\""))
        #expect(rows[1][5].contains("data.sql, line 42"))
        #expect(rows[1][5].contains("a row &lt;b&gt;refused&lt;/b&gt;"))
        #expect(html.contains("id=\"letters-preview\""))  // the one imported still gets its letter
    }

    @Test("A bad UAI and a bad e-mail on line 3 are shown on line 3 with their fields; the import cannot start")
    func problemsByLine() async throws {
        let harness = try ConsoleHarness()
        let services = harness.services
        let hosting = harness.hosting
        let bundle = try Self.exportedBundle(in: harness).editing(line: 3) { values in
            values[5] = "12AB"
            values[8] = "pas-un-courriel"
        }
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/import")
            let uploaded = try await browser.upload("/import/upload", files: bundle.files)
            let location = try #require(uploaded.headers[.location])
            let page = try await browser.get(location)
            let rows = Self.rows(of: "dry-run", in: page.body)
            #expect(rows.map { $0.first } == ["2", "3"])
            #expect(rows.first?[4].contains("data-line") == false)
            let third = try #require(rows.last)
            #expect(third[2] == "12AB")
            #expect(third[3] == "libre")  // no Id_Import asked: a free id, chosen at import
            #expect(third[4].contains("data-line=\"3\" data-field=\"UAI\""))
            #expect(third[4].contains("data-line=\"3\" data-field=\"Contact_Courriel\""))
            #expect(page.body.contains("<ul id=\"problems\">"))
            #expect(page.body.contains("ligne 3, champ UAI, valeur « 12AB »"))
            #expect(page.body.contains("ligne 3, champ Contact_Courriel, valeur « pas-un-courriel »"))
            #expect(!page.body.contains("id=\"start-import\""))
            // Starting anyway (a form kept from before): the dry run refuses again, no job.
            let forced = try await browser.post(location, [("action", "start")])
            #expect(forced.status == .ok)
            #expect(forced.body.contains("<ul id=\"problems\">"))
            #expect(services.jobs.store.recent().isEmpty)
            #expect(try hosting.registry.structures().isEmpty)
        }
    }

    @Test("A script in a CSV value is shown as text, in the dry run and in the import's result")
    func scriptIsEscaped() async throws {
        let harness = try ConsoleHarness()
        let services = harness.services
        let hosting = harness.hosting
        let script = "<script>alert(1)</script>"
        let bundle = try Self.exportedBundle(in: harness).editing(line: 2) { $0[4] = script }
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/import")
            let uploaded = try await browser.upload("/import/upload", files: bundle.files)
            let location = try #require(uploaded.headers[.location])
            let page = try await browser.get(location)
            #expect(!page.body.contains(script))
            #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            let rows = Self.rows(of: "dry-run", in: page.body)
            #expect(rows.first?[1].contains("&lt;script&gt;") == true)
            #expect(page.body.contains("id=\"start-import\""))  // a name is text: the import takes it as it is
            let started = try await browser.post(location, [("action", "start")])
            let id = try Self.jobID(started.headers[.location])
            _ = try await services.jobs.wait(for: id)
            let result = try await browser.get("/jobs/\(id)")
            #expect(!result.body.contains(script))
            #expect(result.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(try hosting.registry.structures().contains { $0.denomination == script })
            let letters = try await browser.get("/import/letters/\(id)")
            #expect(!letters.body.contains(script))
            #expect(letters.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }
    }

    @Test("A bundle refused as a whole (its ZIP is not a ZIP) shows the command's refusal, and no way to start")
    func refusedAsAWhole() async throws {
        let harness = try ConsoleHarness()
        let services = harness.services
        var broken = try Self.exportedBundle(in: harness)
        broken.zip = Array("PK? not really a ZIP".utf8)
        let bundle = broken
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/import")
            let uploaded = try await browser.upload("/import/upload", files: bundle.files)
            let location = try #require(uploaded.headers[.location])
            let page = try await browser.get(location)
            #expect(page.status == .ok)
            #expect(page.body.contains("<div class=\"failure\" role=\"alert\">"))
            #expect(page.body.contains(bundle.zipName))
            #expect(!page.body.contains("id=\"start-import\""))
            let forced = try await browser.post(location, [("action", "start")])
            #expect(forced.body.contains("<div class=\"failure\" role=\"alert\">"))
            #expect(services.jobs.store.recent().isEmpty)
        }
    }

    @Test("An upload over the console's limit is refused with the limit named, and leaves nothing")
    func uploadOverTheLimit() async throws {
        let harness = try ConsoleHarness(settings: ConsoleSettings(uploadLimitMiB: 1))
        let uploads = harness.hosting.directory.appendingPathComponent(UploadReceiver.relativePath)
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/import")
            let large = [UInt8](repeating: 0x41, count: 1_600_000)
            let refused = try await browser.upload(
                "/import/upload", files: [("csv", "a.csv", Array("x".utf8)), ("zip", "b.zip", large)])
            #expect(refused.status == .contentTooLarge)
            #expect(refused.body.contains("1 MiB"))
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads.path)) ?? []).isEmpty)
        }
    }

    @Test("Upload names with a path are refused and leave nothing; an upload without its ZIP is refused")
    func unsafeUploadNames() async throws {
        let harness = try ConsoleHarness()
        let hosting = harness.hosting
        let uploads = hosting.directory.appendingPathComponent(UploadReceiver.relativePath)
        let evil = harness.temporary.path("evil.csv")
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/import")
            for (csv, zip) in [
                ("../evil.csv", "b.zip"), ("a.csv", "x/../../b.zip"), ("a.csv", "/etc/b.zip"), ("..", "b.zip"),
            ] {
                let refused = try await browser.upload(
                    "/import/upload", files: [("csv", csv, Array("x".utf8)), ("zip", zip, Array("y".utf8))])
                #expect(refused.status == .badRequest, "\(csv) \(zip)")
                #expect(refused.body.contains("not a plain file name"))
            }
            let alone = try await browser.upload("/import/upload", files: [("csv", "a.csv", Array("x".utf8))])
            #expect(alone.status == .badRequest)
            #expect(alone.body.contains("ZIP"))
            let swapped = try await browser.upload(
                "/import/upload", files: [("csv", "a.zip", Array("x".utf8)), ("zip", "b.csv", Array("y".utf8))])
            #expect(swapped.status == .badRequest)
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads.path)) ?? []).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: evil.path))
            let unknown = try await browser.get("/import/20990101-000000-abcdefghij")
            #expect(unknown.status == .notFound)
            let traversal = try await browser.get("/import/..%2F..%2Ftransfert.yaml")
            #expect(traversal.status == .notFound)
        }
    }

    @Test("The server's import directory: its files are listed; a name outside it or a link out of it is refused")
    func serverDirectory() async throws {
        let harness = try ConsoleHarness()
        let services = harness.services
        let hosting = harness.hosting
        let bundle = try Self.exportedBundle(in: harness)
        let directory = hosting.directory.appendingPathComponent("import")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Data(bundle.csv).write(to: directory.appendingPathComponent(bundle.csvName))
        try Data(bundle.zip).write(to: directory.appendingPathComponent(bundle.zipName))
        try FileManager.default.createSymbolicLink(
            atPath: directory.appendingPathComponent("lien.csv").path,
            withDestinationPath: hosting.directory.appendingPathComponent("transfert.yaml").path)
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("dossier.csv"), withIntermediateDirectories: true)
        try await harness.test { browser in
            try await browser.signIn("marie")
            let form = try await browser.get("/import")
            #expect(form.body.contains("<select id=\"server-csv\" name=\"csv\"><option value=\"\(bundle.csvName)\">"))
            #expect(!form.body.contains("lien.csv"))
            #expect(!form.body.contains("dossier.csv"))
            for name in [
                "../transfert.yaml", "lien.csv", "dossier.csv", "../import/../transfert.yaml", "absent.csv",
                "/etc/passwd",
            ] {
                let refused = try await browser.post("/import/pick", [("csv", name), ("zip", bundle.zipName)])
                #expect(refused.status == .badRequest, "\(name)")
                #expect(refused.body.contains("import directory"))
            }
            let picked = try await browser.post("/import/pick", [("csv", bundle.csvName), ("zip", bundle.zipName)])
            #expect(picked.status == .seeOther)
            let location = try #require(picked.headers[.location])
            let page = try await browser.get(location)
            #expect(Self.rows(of: "dry-run", in: page.body).count == 2)
            #expect(page.body.contains("id=\"start-import\""))
            // The receipt goes to the job's files, not beside the ZIP in the import directory.
            let started = try await browser.post(location, [("action", "start")])
            let id = try Self.jobID(started.headers[.location])
            #expect(try await services.jobs.wait(for: id)?.state == .succeeded)
            let produced = services.jobs.store.producedFiles(of: id)
            #expect(produced.contains { $0.hasSuffix(".receipt.json") })
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains("receipt") }
                    .isEmpty)
        }
    }

    @Test("An auditor sees no upload or start form, and cannot upload, pick, start or send letters")
    func auditorCannotChange() async throws {
        let harness = try ConsoleHarness()
        let services = harness.services
        let hosting = harness.hosting
        let bundle = try Self.exportedBundle(in: harness)
        let uploads = hosting.directory.appendingPathComponent(UploadReceiver.relativePath)
        try await harness.test { browser in
            try await browser.signIn("marie")
            try await browser.get("/import")
            let uploaded = try await browser.upload("/import/upload", files: bundle.files)
            let location = try #require(uploaded.headers[.location])
            let before = try FileManager.default.contentsOfDirectory(atPath: uploads.path)
            let auditor = ConsoleBrowser(client: browser.client)
            try await auditor.signIn("paul")
            let form = try await auditor.get("/import")
            #expect(form.status == .ok)
            #expect(!form.body.contains("upload-form"))
            #expect(!form.body.contains("server-form"))
            let upload = try await auditor.upload("/import/upload", files: bundle.files)
            #expect(upload.status == .forbidden)
            let pick = try await auditor.post("/import/pick", [("csv", bundle.csvName), ("zip", bundle.zipName)])
            #expect(pick.status == .forbidden)
            let page = try await auditor.get(location)
            #expect(page.status == .ok)
            #expect(Self.rows(of: "dry-run", in: page.body).count == 2)
            #expect(!page.body.contains("start-import"))
            let start = try await auditor.post(location, [("action", "start")])
            #expect(start.status == .forbidden)
            let letters = try await auditor.post("/import/letters/20990101-000000-abcdefghij", [])
            #expect(letters.status == .forbidden)
            #expect(try FileManager.default.contentsOfDirectory(atPath: uploads.path) == before)
        }
        #expect(services.jobs.store.recent().isEmpty)
        #expect(try hosting.registry.structures().isEmpty)
    }
}

/// An SMTP server on loopback for the letters' delivery: Python's aiosmtpd (installed by `make test`),
/// refusing with 550 the recipient named by ``refuse(_:)`` and counting the messages it accepts.
final class LoopbackSMTPSink: @unchecked Sendable {
    private static let script = """
        import os, socket, sys
        from aiosmtpd.controller import Controller
        store = sys.argv[1]
        def refused():
            try:
                return open(os.path.join(store, 'refused.txt')).read().strip().lower()
            except FileNotFoundError:
                return ''
        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, options):
                if address.lower() == refused():
                    return f'550 5.1.1 <{address}>: Recipient address rejected: User unknown'
                envelope.rcpt_tos.append(address)
                return '250 2.1.5 OK'
            async def handle_DATA(self, server, session, envelope):
                open(os.path.join(store, 'received.log'), 'a').write('1\\n')
                return '250 2.0.0 Ok: queued'
        probe = socket.socket()
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
        probe.close()
        controller = Controller(Handler(), hostname='127.0.0.1', port=port)
        controller.start()
        print(port, flush=True)
        sys.stdin.read()
        controller.stop()
        """
    let store: TemporaryDirectory
    let port: Int
    private let process = Process()
    private let input = Pipe()

    init() throws {
        store = try TemporaryDirectory()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, store.url.path]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }  // python3 or aiosmtpd is missing: the port below is refused
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        port = try #require(Int(text), "aiosmtpd did not start: `make test` installs it (pip install aiosmtpd)")
    }

    func refuse(_ address: String) {
        try? address.write(to: store.url.appendingPathComponent("refused.txt"), atomically: true, encoding: .utf8)
    }

    /// How many messages were accepted.
    func received() -> Int {
        let log = (try? String(contentsOf: store.url.appendingPathComponent("received.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").count
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
