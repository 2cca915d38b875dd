import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The lists that reach a person are problems with a code and a place, their sentences unchanged.
@Suite("Problem lists")
struct ProblemListTests {
    @Test func digestDifferencesNameTheirTableAndKind() {
        let expected = [
            TableDigest(table: "eleve", rows: 2, sha256: "a"), TableDigest(table: "note", rows: 5, sha256: "b"),
            TableDigest(table: "classe", rows: 1, sha256: "c"),
        ]
        let actual = [
            TableDigest(table: "eleve", rows: 3, sha256: "a"), TableDigest(table: "note", rows: 5, sha256: "x"),
            TableDigest(table: "extra", rows: 0, sha256: ""),
        ]
        let problems = DigestComparison.differences(expected: expected, actual: actual, actualLabel: "the copy")
        #expect(
            problems.map(\.code) == [.digestRowCount, .digestContent, .digestMissingTable, .digestUnexpectedTable],
            "\(problems)")
        #expect(problems.map { $0.location?.field } == ["eleve", "note", "classe", "extra"])
        #expect(problems[0].message == "table eleve has 3 rows in the copy where the bundle has 2")
        #expect(problems[2].message == "table classe is missing from the copy")
    }

    @Test func schemaDifferencesNameTheirTableAndKind() throws {
        let expected = try SchemaStatementParser.parseScript(
            """
            CREATE TABLE eleve (id INTEGER PRIMARY KEY, nom TEXT NOT NULL);
            CREATE TABLE note (id INTEGER PRIMARY KEY, valeur INTEGER);
            CREATE INDEX note_valeur ON note (valeur);
            """)
        let actual = try SchemaStatementParser.parseScript(
            """
            CREATE TABLE eleve (id INTEGER PRIMARY KEY, nom BLOB NOT NULL);
            CREATE TABLE note (id INTEGER PRIMARY KEY, valeur INTEGER);
            CREATE TABLE extra (id INTEGER PRIMARY KEY);
            """)
        let problems = SchemaComparison.differences(expected: expected, actual: actual, actualLabel: "the copy")
        let byField = Dictionary(grouping: problems) { $0.location?.field ?? "" }
        #expect(byField["eleve"]?.map(\.code) == [.schemaDifferent], "\(problems)")
        #expect(byField["eleve"]?.first?.message.hasPrefix("table eleve: column nom is `") == true, "\(problems)")
        #expect(byField["note"]?.map(\.code) == [.schemaMissingObject], "\(problems)")
        #expect(
            byField["note"]?.first?.message == "table note: index note_valeur is missing from the copy", "\(problems)")
        #expect(byField["extra"]?.map(\.code) == [.schemaUnexpectedObject], "\(problems)")
        #expect(byField["extra"]?.first?.message == "table extra is in the copy but not expected", "\(problems)")
        #expect(problems.count == 3, "\(problems)")
    }

    /// A failure made of several keeps its sentence whole and lists each reason as a value.
    @Test func errorsMadeOfSeveralListTheirProblems() {
        let one = Problem(
            code: .safeDeletionNoConfirmedMove, message: "establishment 2 (X) has no confirmed move",
            location: ProblemLocation(baseID: 2))
        let removal = SafeDeletionError.notVerified([one])
        #expect(removal.problems == [one])
        #expect(removal.description.contains("\n  - establishment 2 (X) has no confirmed move\n"), "\(removal)")
        let mismatch = Problem(
            code: .receiptNotInBundle, message: "establishment 3 (Y), GUID g, was not in bundle b",
            location: ProblemLocation(baseID: 3))
        let move = MoveError.mismatches([mismatch])
        #expect(move.problems == [mismatch] && move.problemCode == .receiptMismatch)
        #expect(move.description.hasSuffix(":\n  - establishment 3 (Y), GUID g, was not in bundle b"), "\(move)")
        #expect(MoveError.alreadyConfirmed(baseID: 1).problems.isEmpty)
        let letters = LetterSelectionError(
            file: "/r.csv",
            problems: [
                Problem(
                    code: .letterSelectionUnreadableResult, message: "no such file",
                    location: ProblemLocation(file: "/r.csv"))
            ])
        #expect(letters.description == "no letter was written: /r.csv: no such file")
    }

    /// `verify`'s list of sentences is the rendering of its problems, each establishment's named in words and place.
    @Test func verifysSentencesAreTheRenderingOfItsProblems() {
        var report = VerificationReport(csv: "b.csv", zip: "b.zip", deep: true, againstSource: false)
        report.bundleProblems = [
            Problem(code: .zipSymlink, message: "entry 'l' is a symbolic link", location: ProblemLocation(file: "l"))
        ]
        report.establishments = [
            EstablishmentVerification(
                nomFichier: "base_2", baseID: 2, guid: nil, denomination: "D", uai: nil, dumpBytes: 0, tables: 1,
                rows: 1, csvLine: 2,
                status: .failed,
                problems: [
                    Problem(
                        code: .restoreDigestMismatch, message: "table t is missing from the restored copy",
                        location: ProblemLocation(field: "t"))
                ], notes: [])
        ]
        #expect(
            report.allProblems == [
                "entry 'l' is a symbolic link", "base_2 (id 2): table t is missing from the restored copy",
            ])
        #expect(report.allProblems == report.everyProblem.map(\.message))
        let restated = report.everyProblem[1]
        #expect(
            restated.code == .restoreDigestMismatch
                && restated.location == ProblemLocation(field: "t", establishment: "base_2", baseID: 2))
    }
}
