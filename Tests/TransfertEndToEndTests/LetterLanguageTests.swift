import Foundation
import Testing

/// Letters in the recipient's language: long dates written as each language writes them, the hosting's
/// language as the default, and `import --notify --template`.
@Suite("Letters in the recipient's language")
struct LetterLanguageTests {
    func longDate(_ language: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language == "en" ? "en_GB" : "fr_FR")
        formatter.timeZone = TimeZone(identifier: "Europe/Paris")
        formatter.dateFormat = "d MMMM y"
        return formatter.string(from: Date())
    }

    func body(_ workspace: Workspace, _ hosting: String) throws -> String {
        let outbox = workspace.path("\(hosting)/outbox")
        let file = try #require(
            try FileManager.default.contentsOfDirectory(atPath: outbox).sorted().last { $0.hasSuffix(".eml") })
        return try run(
            try #require(which("python3")),
            [
                "-c",
                """
                import email, sys
                from email import policy
                print(email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default).get_body().get_content())
                """, outbox + "/" + file,
            ]
        ).stdout
    }

    @Test func importNotifyWritesInTheTemplatesLanguageWithItsLongDates() throws {
        let workspace = try Workspace()
        try workspace.initHosting("a", name: "serveur-a")
        try workspace.initHosting("b", name: "serveur-b", baseURL: "https://b.example.org/")
        try workspace.succeed(["sample", "--structures", "1", "--students", "2"], hosting: "a")
        try workspace.succeed(["export", "--ids", "1", "--out", workspace.path("out")], hosting: "a")
        let zip = try #require(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path("out")).first { $0.hasSuffix(".zip") })
        let bundle = workspace.path("out") + "/" + zip.dropLast(4)
        let refused = try workspace.transfert(
            ["import", bundle + ".csv", bundle + ".zip", "--template", "en"], hosting: "b")
        #expect(refused.status != 0 && refused.stderr.contains("--template is for the letters of --notify"))
        let badTemplate = try workspace.transfert(
            ["import", "--notify", "--template", "nope", bundle + ".csv", bundle + ".zip"], hosting: "b")
        #expect(badTemplate.status != 0)
        #expect(
            try workspace.sqlite("b/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0",
            "a bad template stops the import before it starts")
        try workspace.succeed(
            ["import", "--notify", "--template", "en", bundle + ".csv", bundle + ".zip"], hosting: "b")
        let english = try body(workspace, "b")
        #expect(english.contains("was moved on \(longDate("en")) to the server serveur-b"), "\(english)")
        // The hosting's language is the default template: French here, with its own long date.
        try workspace.succeed(["letters", "--ids", "1"], hosting: "b")
        #expect(try body(workspace, "b").contains("a été transféré le \(longDate("fr")) sur le serveur serveur-b"))
        // A hosting set to English writes English letters by default.
        let configuration = workspace.path("b/transfert.yaml")
        try (try String(contentsOfFile: configuration, encoding: .utf8)).replacingOccurrences(
            of: "language: \"fr\"", with: "language: \"en\""
        )
        .write(toFile: configuration, atomically: true, encoding: .utf8)
        try workspace.succeed(["letters", "--ids", "1"], hosting: "b")
        #expect(try body(workspace, "b").contains("Dear "))
    }

    /// The body of every letter in the outbox, by establishment id (the `X-Transfert-Base-Id`-free way:
    /// the recipient's address, which the sample makes unique).
    func bodies(_ workspace: Workspace, _ hosting: String) throws -> [String: String] {
        let outbox = workspace.path("\(hosting)/outbox")
        let output = try run(
            try #require(which("python3")),
            [
                "-c",
                """
                import email, json, os, sys
                from email import policy
                out = {}
                for name in sorted(os.listdir(sys.argv[1])):
                    if name.endswith('.eml'):
                        m = email.message_from_binary_file(open(os.path.join(sys.argv[1], name), 'rb'), policy=policy.default)
                        out[str(m['To'])] = m.get_body().get_content()
                print(json.dumps(out))
                """, outbox,
            ]
        ).stdout
        return try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: String], "\(output)")
    }

    @Test func anEstablishmentsOwnLanguageWinsOverTheHostingsAndTravelsWithIt() throws {
        let workspace = try Workspace()
        try workspace.initHosting("a", name: "serveur-a")
        try workspace.initHosting("b", name: "serveur-b", baseURL: "https://b.example.org/")
        try workspace.succeed(["sample", "--structures", "2", "--students", "2", "--seed", "91"], hosting: "a")
        let refused = try workspace.transfert(["structure", "language", "--ids", "1", "de", "--json"], hosting: "a")
        #expect(refused.status == 1 && refused.stdout.contains("letters.unknown_language"), "\(refused.transcript)")
        try workspace.succeed(["structure", "language", "--ids", "1", "en"], hosting: "a")
        #expect(
            try workspace.sqlite("a/registry.sqlite", "SELECT base_id || ':' || language FROM structure_language")
                == "1:en")
        #expect(try workspace.succeed(["structure", "show", "1"], hosting: "a").stdout.contains("en (its own)"))
        #expect(try workspace.succeed(["structure", "show", "2"], hosting: "a").stdout.contains("fr (the hosting's)"))

        // Without --template, each letter in its establishment's language; dates too.
        try workspace.succeed(["letters", "--ids", "1,2"], hosting: "a")
        var letters = try bodies(workspace, "a")
        #expect(letters.count == 2)
        #expect(
            letters.values.filter { $0.hasPrefix("Dear ") }.count == 1
                && letters.values.filter { $0.hasPrefix("Bonjour") }.count == 1,
            "\(letters)")
        // --template still decides for all.
        try workspace.succeed(["letters", "--ids", "1,2", "--template", "fr"], hosting: "a")
        letters = try bodies(workspace, "a")
        #expect(letters.values.allSatisfy { $0.hasPrefix("Bonjour") }, "\(letters)")
        // The maintenance warning exists in both languages: each contact reads it in theirs, unless -fr/-en says.
        try workspace.succeed(
            ["maintenance", "plan", "--ids", "1,2", "--start", "2031-12-01 13:00", "--duration", "45m"], hosting: "a")
        try workspace.succeed(["letters", "--ids", "1,2", "--template", "maintenance-warning"], hosting: "a")
        var warnings = try bodies(workspace, "a").values.filter { $0.contains("2031") }
        #expect(
            warnings.count == 2 && warnings.filter { $0.hasPrefix("Dear ") }.count == 1
                && warnings.filter { $0.hasPrefix("Bonjour") }.count == 1,
            "\(warnings)")
        try workspace.succeed(["letters", "--ids", "1,2", "--template", "maintenance-warning-fr"], hosting: "a")
        warnings = try bodies(workspace, "a").values.filter { $0.contains("2031") }
        #expect(warnings.count == 2 && warnings.allSatisfy { $0.hasPrefix("Bonjour") }, "\(warnings)")
        try workspace.succeed(["maintenance", "cancel", "1", "--yes"], hosting: "a")

        // The language travels in the bundle and is the target's for that establishment.
        try workspace.succeed(["export", "--ids", "1,2", "--out", workspace.path("out")], hosting: "a")
        let zip = try #require(
            try FileManager.default.contentsOfDirectory(atPath: workspace.path("out")).first { $0.hasSuffix(".zip") })
        let bundle = workspace.path("out") + "/" + zip.dropLast(4)
        let manifest = try run(
            try #require(which("python3")),
            [
                "-c",
                """
                import json, sys, zipfile
                m = json.loads(zipfile.ZipFile(sys.argv[1]).read('manifest.json'))
                print(','.join(str(e.get('language')) for e in m['establishments']))
                """, bundle + ".zip",
            ]
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(manifest == "en,None", "\(manifest)")
        try workspace.succeed(["import", "--notify", bundle + ".csv", bundle + ".zip"], hosting: "b")
        let first = try workspace.sqlite(
            "b/registry.sqlite", "SELECT s.base_id FROM structure s JOIN structure_language l USING (base_id)")
        #expect(
            try workspace.sqlite("b/registry.sqlite", "SELECT COUNT(*) FROM structure_language") == "1"
                && !first.isEmpty)
        let moved = try bodies(workspace, "b")
        #expect(
            moved.values.filter { $0.hasPrefix("Dear ") && $0.contains("was moved on \(longDate("en"))") }.count == 1,
            "\(moved)")
        #expect(
            moved.values.filter { $0.hasPrefix("Bonjour") && $0.contains("a été transféré le \(longDate("fr"))") }.count
                == 1, "\(moved)")
        // `default` gives it back the hosting's language.
        try workspace.succeed(["structure", "language", "--ids", first, "default"], hosting: "b")
        #expect(try workspace.sqlite("b/registry.sqlite", "SELECT COUNT(*) FROM structure_language") == "0")
    }
}
