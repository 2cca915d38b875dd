import Foundation
import Testing

/// The README's tour and every example of the user guide run as pasted, in order, in one shell, on a
/// fresh clone: an operator who pastes them one after the other gets no error.
///
/// Each ```sh block runs under `set -euo pipefail` in the same bash (variables and `export`s carry),
/// in a fresh directory laid out like a clone (``DocumentationSandbox``), with the binary under test
/// first on the PATH. What is not run verbatim is said where it happens: `make build` (already built),
/// `transfert serve` (run in the background, `/health` asked, stopped), `/srv`, `/tmp` and the paths
/// below them (kept inside the test's directory), and what a block's `<!-- doc-test: … -->` marker says
/// (a MariaDB or SMTP server of the test's in place of the example's address). A failure names the
/// markdown file and line of the command that failed. The demo (`make demo`) runs to its end too.
@Suite("Documentation examples", .serialized)
struct DocumentationTests {
    /// Blocks a `skip:` marker keeps from running, by file and first code line. A block that
    /// cannot run in a test must be listed here, and this list fails when one disappears.
    static let expectedSkips: [String] = [
        // §17: what an operator installs for nightly backups (a crontab, systemd units).
        "Docs/user-guide.md: # m h dom mon dow user  command",
        "Docs/user-guide.md: # /etc/systemd/system/transfert-backup.service",
    ]

    @Test func theReadmeTourRunsAsPasted() throws {
        let blocks = try Self.blocks(of: "README.md", section: "A short tour")
        #expect(blocks.count == 1, "the tour is one block: \(blocks.map(\.place))")
        let runner = try DocumentationRunner()
        let outcome = try runner.run(blocks)
        Self.expectSuccess(outcome, name: "README")
        // The letters left through the relay the tour configures, signed by its webmaster.
        let sink = try #require(runner.sink, "the tour configures a mail relay before `outbox send`")
        try Self.expectRealSenders(sink, "the tour's")
    }

    @Test func everyUserGuideExampleRunsInOrderAsPasted() throws {
        let blocks = try Self.blocks(of: "Docs/user-guide.md")
        #expect(blocks.count > 20, "the guide's blocks are found: \(blocks.count)")
        let runner = try DocumentationRunner()
        let outcome = try runner.run(blocks)
        Self.expectSuccess(outcome, name: "user-guide")
        let sink = try #require(runner.sink, "the guide configures a mail relay before `outbox send`")
        try Self.expectRealSenders(sink, "the guide's")
    }

    /// `make demo`'s script as `make demo` runs it, from the clone's root: on the SQLite default, and as
    /// `BACKEND=mariadb make demo` and `BACKEND=postgres make demo` (the README's first block), on a MariaDB server
    /// or a PostgreSQL cluster the demo starts itself.
    @Test(arguments: ["sqlite": "Done. Look around:", "mariadb": "Done, on MariaDB", "postgres": "Done, on PostgreSQL"])
    func theDemoRunsToItsEnd(backend: String, ending: String) throws {
        let sandbox = try DocumentationSandbox()
        let demo = repositoryRoot.appendingPathComponent("Samples/demo.sh").path
        let (status, output) = try sandbox.bash(
            [demo],
            extra: [
                "TRANSFERT": transfertBinary, "BACKEND": backend,
                "DEMO_DIR": sandbox.root.appendingPathComponent("demo").path,
            ])
        let tail = output.components(separatedBy: "\n").suffix(40).joined(separator: "\n")
        #expect(
            status == 0 && output.contains(ending),
            "BACKEND=\(backend) Samples/demo.sh failed (exit \(status)):\n\(tail)")
        #expect(!output.contains("in the past"), "the demo plans its windows ahead:\n\(tail)")
    }

    @Test func skipsAreTheListedOnes() throws {
        let blocks = try Self.blocks(of: "README.md", section: "A short tour") + Self.blocks(of: "Docs/user-guide.md")
        let skipped = blocks.filter { $0.skipReason != nil }.map { "\($0.file): \($0.code.first ?? "")" }
        #expect(skipped == Self.expectedSkips)
    }

    // The harness itself: a failing example is caught and placed, markers are read or refused.

    @Test func aFailingCommandIsReportedWithItsFileAndLine() throws {
        let markdown =
            "# Example\n\n```sh\nvalue=1\necho \"$value\"\n```\n\nText.\n\n```sh\necho \"still $value\"\nfalse\necho never\n```\n"
        let runner = try DocumentationRunner()
        let outcome = try runner.run(try MarkdownShellBlocks(markdown, file: "example.md").blocks)
        #expect(outcome.status != 0)
        #expect(outcome.output.contains("still 1"), "variables carry from block to block:\n\(outcome.output)")
        #expect(!outcome.output.contains("never"))
        #expect(outcome.failure?.description == "example.md:12 (the block from line 11)", "\(outcome.output)")
    }

    @Test func aFailureInsideAPipelineOrASubstitutionStopsTheRun() throws {
        let markdown = "```sh\nfalse | cat\necho never\n```\n\n```sh\nx=$(false; echo y)\necho \"never $x\"\n```\n"
        for block in try MarkdownShellBlocks(markdown, file: "example.md").blocks {
            let outcome = try DocumentationRunner().run([block])
            #expect(outcome.status != 0 && !outcome.output.contains("never"), "\(block.place):\n\(outcome.output)")
        }
    }

    @Test func aTransfertCommandThatFailsWithoutStoppingTheRunStillFailsIt() throws {
        let markdown = "```sh\necho before\ntransfert no-such-command && echo skipped\necho after\n```\n"
        let outcome = try DocumentationRunner().run(try MarkdownShellBlocks(markdown, file: "example.md").blocks)
        #expect(
            outcome.status != 0 && outcome.output.contains("after") && !outcome.output.contains("every block ran"),
            "\(outcome.output)")
        #expect(outcome.failure?.description == "example.md:3 (the block from line 2)", "\(outcome.output)")
    }

    @Test func pathsUnderSrvAndTmpStayInTheTestsDirectory() {
        #expect(
            DocumentationScript.mappingPaths("cd /srv/a && ls /tmp/x https://h/srv/y $HOME/srv/z a/tmp/b", root: "/r")
                == "cd /r/srv/a && ls /r/tmp/x https://h/srv/y $HOME/srv/z a/tmp/b")
        #expect(
            DocumentationScript.mappingPaths("cd /tmp; ls /srv /tmpfile /srv.d \"/tmp\"", root: "/r")
                == "cd /r/tmp; ls /r/srv /tmpfile /srv.d \"/r/tmp\"")
    }

    @Test func markersAreReadAndMisplacedOrUnknownOnesRefused() throws {
        let markdown = """
            <!-- doc-test: mariadb "db.example.org:3306" transfert the-password -->
            <!-- doc-test: smtp-relay "port: 25" -->
            ```sh
            echo
            ```
            <!-- doc-test: postgres "pg.example.org:5432" transfert the-password -->
            ```sh
            echo pg
            ```
              <!-- doc-test: skip: needs a terminal -->
              ```sh
              echo indented
              ```
            """
        let blocks = try MarkdownShellBlocks(markdown, file: "m.md").blocks
        #expect(
            blocks.map(\.markers) == [
                [
                    .mariaDB(address: "db.example.org:3306", account: "transfert", password: "the-password"),
                    .smtpRelay(text: "port: 25"),
                ], [.postgreSQL(address: "pg.example.org:5432", account: "transfert", password: "the-password")],
                [.skip(reason: "needs a terminal")],
            ])
        #expect(blocks.map(\.line) == [4, 8, 12])
        #expect(blocks[2].code == ["echo indented"])
        #expect(throws: MarkdownShellBlocks.Misplaced.self) {
            try MarkdownShellBlocks("<!-- doc-test: skip: x -->\nText\n```sh\necho\n```\n", file: "m.md")
        }
        #expect(throws: MarkdownShellBlocks.Misplaced.self) {
            try MarkdownShellBlocks("<!-- doc-test: skip: x -->\n```text\nout\n```\n", file: "m.md")
        }
        #expect(throws: DocumentationMarker.Unreadable.self) {
            try MarkdownShellBlocks("<!-- doc-test: skpi: x -->\n```sh\necho\n```\n", file: "m.md")
        }
        #expect(throws: DocumentationMarker.Unreadable.self) {
            try MarkdownShellBlocks("<!-- doc-test: smtp-relay \"host\" -->\n```sh\necho\n```\n", file: "m.md")
        }
        // A marker naming text its block does not hold would change nothing: refused.
        #expect(throws: DocumentationRunner.MarkerNotInBlock.self) {
            try DocumentationRunner().run(
                try MarkdownShellBlocks("<!-- doc-test: smtp-relay \"port: 25\" -->\n```sh\necho\n```\n", file: "m.md")
                    .blocks)
        }
    }

    /// The letters reached the relay, each from a sender (envelope and `From`) that is not a placeholder
    /// domain (RFC 2606/6761 names, `example.org`…), which `outbox send` refuses: the examples teach a real one.
    static func expectRealSenders(_ sink: SMTPSink, _ whose: String, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let files = try sink.messageFiles()
        #expect(!files.isEmpty, "outbox send delivered \(whose) letters", sourceLocation: sourceLocation)
        let placeholder = try Regex(#"(^|[@.])(example\.(org|com|net)|[^.@]+\.(example|test|invalid|localhost))$"#)
        for (file, message) in zip(files, try inspectEmails(files)) {
            let envelope = try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: file.replacingOccurrences(of: ".eml", with: ".json"))))
            let sender = ((envelope as? [String: Any])?["mail_from"] as? String ?? "").lowercased()
            let from = ((message["from"] as? [[String: String]])?.first?["address"] ?? "").lowercased()
            #expect(
                !sender.isEmpty && sender == from, "envelope sender \(sender), From \(from)",
                sourceLocation: sourceLocation)
            let placeholderSender = sender.firstMatch(of: placeholder) != nil
            #expect(
                !placeholderSender, "\(whose) letters leave from a placeholder address: \(sender)",
                sourceLocation: sourceLocation)
        }
    }

    static func blocks(of file: String, section: String? = nil) throws -> [DocumentationBlock] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8)
        return try MarkdownShellBlocks(text, file: file, section: section).blocks
    }

    /// One issue for a failed run: the place of the failing command, then the end of the output.
    static func expectSuccess(
        _ outcome: DocumentationRunner.Outcome, name: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        // TRANSFERT_DOC_TRANSCRIPTS=DIR keeps every run's whole output, to read what the examples print.
        if let folder = ProcessInfo.processInfo.environment["TRANSFERT_DOC_TRANSCRIPTS"], !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try? outcome.output.write(toFile: "\(folder)/\(name).out", atomically: true, encoding: .utf8)
        }
        let tail = outcome.output.components(separatedBy: "\n").suffix(60).joined(separator: "\n")
        let place = outcome.failure?.description ?? "(no failing command located)"
        #expect(
            outcome.status == 0 && outcome.output.contains("doc-test: every block ran"),
            "\(place): an example failed (exit \(outcome.status)); the end of the output:\n\(tail)",
            sourceLocation: sourceLocation)
        let handled = outcome.output.components(separatedBy: "\n").filter {
            $0.hasPrefix("doc-test: ") && !$0.hasPrefix("doc-test: ──")
        }
        print("Documentation examples: \(handled.count) notes from the harness\n" + handled.joined(separator: "\n"))
        for block in outcome.skipped { print("doc-test: skipped \(block.place): \(block.skipReason ?? "")") }
    }
}
