import Foundation
import Testing

/// With `--json`, every failure is one JSON object on standard output: a stable code, the message, the exit
/// code the process returns.
@Suite("JSON errors")
struct JSONErrorTests {
    @Test func everyCommandsFailureIsOneObjectWithAStableCode() throws {
        let workspace = try Workspace()
        try workspace.initHosting()
        try workspace.succeed(["sample", "--structures", "1", "--students", "2"])
        let cases: [([String], String)] = [
            (["export", "--ids", "99"], "registry.unknown_structure"),
            (["import", "absent.csv", "absent.zip"], "import_validation"),
            (["structure", "add", "--uai", "X"], "usage"),
            (["structure", "remove", "--ids", "1"], "failed"),
            (["structure", "show", "99"], "registry.unknown_structure"),
            (["lock", "add", "--ids", "99", "--reason", "x"], "unknown_establishment"),
            (["maintenance", "cancel", "9"], "unknown_window"),
            (["maintenance", "plan", "--ids", "1", "--start", "demain", "--duration", "1h"], "invalid_time"),
            (["confirm", "absent.receipt.json"], "unreadable_receipt"),
            (["history", "--id", "42"], "failed"),
            (["letters", "--ids", "99"], "letter_selection"),
            (["outbox", "send"], "failed"),
            (["zone", "add", ""], "usage"),
            (["serve", "--port", "99999"], "usage"),
            (["init", "--name", "x", "--base-url", "https://x.example.org/"], "hosting"),
            (["structure", "list", "--no-such-option"], "usage"),
        ]
        for (arguments, expected) in cases {
            let result = try workspace.transfert(arguments + ["--json"])
            #expect(result.status != 0, "\(arguments) succeeded")
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let error = try #require(object?["error"] as? [String: Any] ?? (object?["problems"] != nil ? ["code": "import_validation", "exit_code": Int(result.status), "message": "problems"] : nil),
                                     "\(arguments): not one JSON object on stdout:\n\(result.transcript)")
            let code = error["code"] as? String ?? ""
            #expect(code.hasPrefix(expected), "\(arguments): code \(code), expected \(expected)")
            #expect(error["exit_code"] as? Int == Int(result.status), "\(arguments): exit code")
            #expect((error["message"] as? String)?.isEmpty == false)
        }
    }
}
