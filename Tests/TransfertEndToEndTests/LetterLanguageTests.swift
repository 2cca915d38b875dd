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
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: outbox).sorted().last { $0.hasSuffix(".eml") })
        return try run(try #require(which("python3")), ["-c", """
            import email, sys
            from email import policy
            print(email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default).get_body().get_content())
            """, outbox + "/" + file]).stdout
    }

    @Test func importNotifyWritesInTheTemplatesLanguageWithItsLongDates() throws {
        let workspace = try Workspace()
        try workspace.initHosting("a", name: "serveur-a")
        try workspace.initHosting("b", name: "serveur-b", baseURL: "https://b.example.org/")
        try workspace.succeed(["sample", "--structures", "1", "--students", "2"], hosting: "a")
        try workspace.succeed(["export", "--ids", "1", "--out", workspace.path("out")], hosting: "a")
        let zip = try #require(try FileManager.default.contentsOfDirectory(atPath: workspace.path("out")).first { $0.hasSuffix(".zip") })
        let bundle = workspace.path("out") + "/" + zip.dropLast(4)
        let refused = try workspace.transfert(["import", bundle + ".csv", bundle + ".zip", "--template", "en"], hosting: "b")
        #expect(refused.status != 0 && refused.stderr.contains("--template is for the letters of --notify"))
        let badTemplate = try workspace.transfert(["import", "--notify", "--template", "nope", bundle + ".csv", bundle + ".zip"], hosting: "b")
        #expect(badTemplate.status != 0)
        #expect(try workspace.sqlite("b/registry.sqlite", "SELECT COUNT(*) FROM structure") == "0", "a bad template stops the import before it starts")
        try workspace.succeed(["import", "--notify", "--template", "en", bundle + ".csv", bundle + ".zip"], hosting: "b")
        let english = try body(workspace, "b")
        #expect(english.contains("was moved on \(longDate("en")) to the server serveur-b"), "\(english)")
        // The hosting's language is the default template: French here, with its own long date.
        try workspace.succeed(["letters", "--ids", "1"], hosting: "b")
        #expect(try body(workspace, "b").contains("a été transféré le \(longDate("fr")) sur le serveur serveur-b"))
        // A hosting set to English writes English letters by default.
        let configuration = workspace.path("b/transfert.yaml")
        try (try String(contentsOfFile: configuration, encoding: .utf8)).replacingOccurrences(of: "language: \"fr\"", with: "language: \"en\"")
            .write(toFile: configuration, atomically: true, encoding: .utf8)
        try workspace.succeed(["letters", "--ids", "1"], hosting: "b")
        #expect(try body(workspace, "b").contains("Dear "))
    }
}
