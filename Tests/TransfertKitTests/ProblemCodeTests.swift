import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// Problem codes are a published interface: written once (``ProblemCode``'s constants), shaped alike, listed
/// whole in the user guide, and given by each error type case by case — never derived from Swift names.
@Suite("Problem codes")
struct ProblemCodeTests {
    static let codeFile = repositoryRoot.appendingPathComponent("Sources/TransfertModel/Problems/ProblemCode.swift")
    static let guide = repositoryRoot.appendingPathComponent("Docs/user-guide.md")

    /// The undotted codes published before the dotted scheme; no other code may be undotted.
    static let undotted: Set<String> = [
        "usage", "failed",
        "invalid_time", "invalid_duration", "start_in_past", "end_in_past", "end_not_after_start",
        "window_already_planned",
        "unknown_window", "window_closed", "unknown_establishment", "invalid_message", "outside_maintenance_window",
        "unreadable_receipt", "unreadable_key", "bad_signature", "unexpected_key", "foreign_receipt", "unknown_bundle",
        "other_bundle", "receipt_mismatch", "already_confirmed", "untrusted_target", "malformed_receipt",
    ]

    /// Every constant of ProblemCode.swift, read from its source: (Swift name, code).
    static func constants() throws -> [(name: String, code: String)] {
        let text = try String(contentsOf: codeFile, encoding: .utf8)
        // Each declaration from its `static let` to the next one: the formatter may wrap a long one.
        let declarations = text.components(separatedBy: "static let ").dropFirst().map { "static let " + $0 }
        let pattern = /^static let (\w+) = ProblemCode\(\s*rawValue: "([^"]*)"\)\n/
        let constants = declarations.compactMap { declaration in
            (try? pattern.prefixMatch(in: declaration)).map { (name: String($0.1), code: String($0.2)) }
        }
        // A constant written any other way would escape the checks below.
        #expect(
            constants.count == declarations.count,
            "constants not in the form `public static let x = ProblemCode(rawValue: \"…\")` (one documented constant each)"
        )
        return constants
    }

    @Test func everyCodeIsWrittenOnceAndShapedAlike() throws {
        let constants = try Self.constants()
        #expect(constants.count > 100, "\(constants.count) constants read")
        let duplicates = Dictionary(grouping: constants, by: \.code).filter { $0.value.count > 1 }.keys.sorted()
        #expect(duplicates.isEmpty, "codes written twice: \(duplicates)")
        let names = Dictionary(grouping: constants, by: \.name).filter { $0.value.count > 1 }.keys.sorted()
        #expect(names.isEmpty, "constants declared twice: \(names)")
        let snake = /[a-z][a-z0-9]*(_[a-z0-9]+)*/
        for (name, code) in constants {
            let parts = code.split(separator: ".", omittingEmptySubsequences: false)
            let shaped = parts.allSatisfy { (try? snake.wholeMatch(in: String($0))) != nil }
            if Self.undotted.contains(code) {
                #expect(parts.count == 1 && shaped, "\(name): '\(code)'")
            } else {
                #expect(parts.count == 2 && shaped, "\(name): '\(code)' is not area.snake_case")
            }
        }
    }

    /// Codes are built from the constants only: a `ProblemCode(rawValue:)` anywhere else in the sources would be
    /// a code the guide does not list.
    @Test func noCodeIsMadeOutsideTheConstants() throws {
        let sources = repositoryRoot.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var offenders: [String] = []
        for case let file as URL in files
        where file.pathExtension == "swift" && file.lastPathComponent != "ProblemCode.swift" {
            let text = try String(contentsOf: file, encoding: .utf8)
            if text.contains("ProblemCode(rawValue:") { offenders.append(file.lastPathComponent) }
        }
        #expect(offenders.isEmpty, "\(offenders)")
    }

    @Test func theGuidesTableListsExactlyTheCodes() throws {
        let text = try String(contentsOf: Self.guide, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let marker = try #require(
            lines.firstIndex { $0.hasPrefix("<!-- problem-codes") }, "the guide's table of codes has lost its marker")
        let header = marker + 1
        #expect(lines[header] == "| code | what |" && lines[header + 1] == "| --- | --- |")
        var listed: [String] = []
        for line in lines[(header + 2)...] {
            guard line.hasPrefix("|") else { break }
            let cell =
                line.split(separator: "|", omittingEmptySubsequences: true).first.map {
                    $0.trimmingCharacters(in: .whitespaces)
                } ?? ""
            #expect(
                cell.hasPrefix("`") && cell.hasSuffix("`") && cell.count > 2, "one code per row, in backquotes: \(line)"
            )
            listed.append(String(cell.dropFirst().dropLast()))
        }
        let declared = try Self.constants().map(\.code)
        #expect(listed.count == Set(listed).count, "rows repeated in the guide")
        #expect(Set(listed).subtracting(declared).sorted() == [], "in the guide, not in ProblemCode")
        #expect(Set(declared).subtracting(listed).sorted() == [], "in ProblemCode, not in the guide")
    }

    /// Each error type says its code case by case. Reflection on Swift names used to spell acronyms letter by
    /// letter (`registry.duplicate_u_a_i`) and would follow any rename.
    @Test func errorsGiveTheirDeclaredCodes() {
        let cases: [(any LocatedError, String)] = [
            (RegistryError.duplicateUAI("0750001U", hostedBy: 2), "registry.duplicate_uai"),
            (RegistryError.duplicateGUID(UUID(), hostedBy: 2), "registry.duplicate_guid"),
            (RegistryError.duplicateBaseID(3), "registry.duplicate_base_id"),
            (RegistryError.noFreeIDAbove(9), "registry.no_free_id_above"),
            (RegistryError.unknownStructure(99), "registry.unknown_structure"),
            (UAIError.malformed("X"), "uai.malformed"),
            (SafeDeletionError.notVerified([]), "safe_deletion.not_verified"),
            (BundleFilePairError.sameFile("a", command: "verify"), "bundle_file_pair.same_file"),
            (
                MaintenanceError.alreadyPlanned(baseIDs: [1], window: 2, state: .planned, when: "x"),
                "window_already_planned"
            ),
            (MaintenanceError.unknownEstablishments([9]), "unknown_establishment"),
            (MoveError.notThisSource(server: "s", fingerprint: "f"), "foreign_receipt"),
            (DatabaseURLError(.mariadb, .passwordInURL), "mariadb_settings.password_in_url"),
            (DatabaseURLError(.mariadb, .invalid("mysql://x", "y")), "mariadb_settings.invalid"),
            (DatabaseURLError(.postgresql, .passwordInURL), "postgresql_settings.password_in_url"),
            (DatabaseURLError(.postgresql, .invalid("postgres://x", "y")), "postgresql_settings.invalid"),
            (SACocheExportError.notMySQL(table: "t"), "sacoche_export.not_mysql"),
            (
                LetterSelectionError(file: nil, problems: [Problem(code: .letterSelectionNoWindow, message: "x")]),
                "letter_selection.invalid"
            ),
            (ImportValidationError(problems: []), "import.invalid"),
            (ImportValidationError(problems: [], prerequisites: "zone 7"), "import.prerequisites"),
        ]
        for (error, code) in cases {
            #expect(error.problemCode.rawValue == code, "\(error)")
        }
    }

    /// JSON carries the raw value, as a plain string.
    @Test func aProblemEncodesItsCodeAsAString() throws {
        let problem = Problem(code: .csvMismatch, message: "m", location: ProblemLocation(line: 2))
        let json = String(decoding: try JSONEncoder().encode(problem), as: UTF8.self)
        #expect(json.contains(#""code":"csv.mismatch""#), "\(json)")
        #expect(try JSONDecoder().decode(Problem.self, from: Data(json.utf8)) == problem)
    }
}
