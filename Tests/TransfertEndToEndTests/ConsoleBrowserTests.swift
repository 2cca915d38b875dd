import Foundation
import Testing

/// A whole move through two consoles in a real browser: Debian's Chromium, steered by Selenium through
/// Debian's chromedriver (`Tests/Browser/console_move.py`), against two `transfert console` processes on
/// loopback. The hostings are then checked with sqlite3 and the downloads with unzip, independently of
/// what the pages said. A browser that cannot start fails the test with its reason: it is never skipped.
@Suite("The console in a browser", .serialized)
struct ConsoleBrowserTests {
    @Test func aWholeMoveThroughTwoConsoles() throws {
        let python = try #require(which("python3"), "python3 must be installed (make setup)")
        let probe = try run(python, ["-c", "import selenium; print(selenium.__version__)"])
        try #require(probe.status == 0, "Selenium is missing (make setup-test installs it): \(probe.stderr)")
        for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"] {
            try #require(
                FileManager.default.isExecutableFile(atPath: tool),
                "\(tool) is missing: make setup-test installs chromium and chromium-driver")
        }
        let workspace = try Workspace()
        try workspace.initHosting("source", name: "serveur-a", baseURL: "https://a.example.org/sacoche/")
        try workspace.initHosting("target", name: "serveur-b", baseURL: "https://b.example.org/sacoche/")
        try workspace.succeed(["sample", "--structures", "3", "--students", "20"], hosting: "source")
        let password = "un mot de passe assez long"
        try workspace.addConsoleUser("marie", password: password, hosting: "source")
        try workspace.addConsoleUser("marie", password: password, hosting: "target")
        // The establishment that moves carries markup in its name, place and contact (CSV values on the way):
        // every page must show it as text. A maintenance window's message on another one, likewise.
        let added = try workspace.succeed(
            [
                "structure", "add", "--uai", "0250010A", "--denomination",
                "Collège <img class=\"xss-probe\" src=\"/x\" onerror=\"alert(1)\"> & \"Hugo\"",
                "--localisation", "<script class=\"xss-probe\">alert(2)</script>Besançon", "--zone", "1",
                "--contact-nom", "O'Brien<b class=\"xss-probe\">", "--contact-prenom", "Agnès",
                "--contact-courriel", "agnes.obrien@ac-besancon.fr",
            ], hosting: "source")
        let moving = try #require(
            added.stdout.firstMatch(of: /Added establishment ([0-9]+):/).map { String($0.1) }, "\(added.stdout)")
        try workspace.succeed(
            [
                "maintenance", "plan", "--ids", "2", "--start", "2099-01-01 13:00", "--duration", "45m", "--message",
                "Maintenance <img class=\"xss-probe\" src=\"/y\" onerror=\"alert(3)\">",
            ], hosting: "source")
        let uai = try workspace.sqlite("source/registry.sqlite", "SELECT uai FROM structure WHERE base_id = \(moving)")
        #expect(uai == "0250010A")

        // The target's receipt key, as its operator reads it with `transfert info` and gives it to the source's.
        let info = try workspace.succeed(["info", "--json"], hosting: "target")
        let targetKey = try #require(
            (try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])?["receipt_public_key"]
                as? String)

        let source = try ConsoleServer(workspace, hosting: "source")
        defer { source.stop() }
        let target = try ConsoleServer(workspace, hosting: "target")
        defer { target.stop() }

        let screenshots = repositoryRoot.appendingPathComponent(".build/test-output/console")
        try? FileManager.default.removeItem(at: screenshots)
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        let summaryFile = workspace.path("summary.json")
        // Two host names for the two consoles: a browser keeps cookies per host, not per port.
        let script = repositoryRoot.appendingPathComponent("Tests/Browser/console_move.py").path
        let result = try run(
            python,
            [
                script, "--source", "http://localhost:\(source.port)", "--target", "http://127.0.0.1:\(target.port)",
                "--user", "marie", "--password-file", workspace.path("marie-source.password"), "--establishment",
                moving, "--screenshots", screenshots.path, "--downloads", workspace.path("downloads"), "--summary",
                summaryFile, "--target-key", targetKey,
            ])
        #expect(
            result.status == 0,
            """
            the move in the browser failed (screenshots in \(screenshots.path)):
            \(result.transcript)
            --- source console stderr
            \(source.errors.suffix(3_000))
            --- target console stderr
            \(target.errors.suffix(3_000))
            """)
        guard result.status == 0 else { return }

        // Screenshots: one per page visited, each a real PNG.
        let shots = try FileManager.default.contentsOfDirectory(atPath: screenshots.path).filter {
            $0.hasSuffix(".png")
        }
        #expect(shots.count >= 18, "screenshots: \(shots.sorted())")
        for shot in shots {
            let data = try Data(contentsOf: screenshots.appendingPathComponent(shot))
            #expect(
                data.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]) && data.count > 3_000, "\(shot): \(data.count) bytes")
        }
        #expect(shots.contains { $0.hasSuffix("-phone-establishments.png") })

        // The downloads, checked with unzip and by content.
        let summary = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summaryFile)))
                as? [String: Any])
        let zip = try #require(summary["zip"] as? String)
        let unzip = try #require(which("unzip"), "unzip must be installed (make setup)")
        let listing = try run(unzip, ["-t", zip])
        #expect(listing.status == 0, "unzip -t on the downloaded bundle: \(listing.transcript)")
        let csv = try String(contentsOfFile: try #require(summary["csv"] as? String), encoding: .utf8)
        #expect(csv.contains(uai), "the downloaded CSV names \(uai)")

        // The hostings, read with sqlite3: the establishment lives on the target, gone from the source.
        let imported = try workspace.sqlite(
            "target/registry.sqlite", "SELECT COUNT(*) FROM structure WHERE uai = '\(uai)'")
        #expect(imported == "1", "the target holds \(uai)")
        let left = try workspace.sqlite(
            "source/registry.sqlite", "SELECT COUNT(*) FROM structure WHERE base_id = \(moving)")
        #expect(left == "0", "establishment \(moving) is removed from the source")
        let others = try workspace.sqlite("source/registry.sqlite", "SELECT COUNT(*) FROM structure")
        #expect(others == "3", "the other three stay on the source")
        // The operations log (log/transfert.log, JSON lines) names the web user for each change, on both sides.
        for (hosting, command) in [("source", "export"), ("target", "import"), ("source", "confirm")] {
            let check = try run(
                python,
                [
                    "-c",
                    "import json,sys; lines=[json.loads(l) for l in open(sys.argv[1], encoding='utf-8') if l.strip()]; "
                        + "sys.exit(0 if any(l.get('command') == sys.argv[2] and l.get('user') == 'marie' for l in lines) else 1)",
                    workspace.path("\(hosting)/log/transfert.log"), command,
                ])
            #expect(check.status == 0, "\(hosting)'s operations log has no \(command) by marie: \(check.stderr)")
        }
    }
}
