import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// `structure add` and an import's rows obey one rule set (``StructureRules``); each words its refusals for
/// its reader.
@Suite("Structure rules")
struct StructureRulesTests {
    @Test func oneDecisionTwoWordings() throws {
        let directory = try TemporaryDirectory()
        let hosting = try makeHosting(in: directory)
        try hosting.addStructure(newStructure(uai: "0750001U", id: 3))
        let rules = try StructureRules(hosting: hosting).readingIDFactsOnce()

        let hosted = try #require(try rules.uaiIsFree(try UAI(validating: "0750001U")))
        #expect(hosted.message(for: .command) == "0750001U is already hosted here (establishment 3)")
        #expect(hosted.message(for: .csvRow).hasPrefix("is already hosted here (establishment 3, "))
        #expect(hosted.code(for: .command) == .structureTaken && hosted.code(for: .csvRow) == .csvInvalidValue)

        let registered = try #require(try rules.baseID(3))
        #expect(
            registered.message(for: .csvRow).hasPrefix("id 3 is already used here by ")
                && registered.code(for: .command) == .structureTaken)
        #expect(try rules.baseID(0)?.message(for: .command) == "must be a positive integer, not 0")
        #expect(try rules.baseID(4) == nil)
        #expect(try rules.zone(9)?.message(for: .csvRow).hasPrefix("zone 9 does not exist on this server") == true)
        #expect(try rules.zone(1) == nil)
        #expect(rules.required(" \n\t").1?.code(for: .csvRow) == .csvRequired)
    }

    /// A required cell that holds only a line break (quoted) was taken by the import and refused by
    /// `structure add`; one rule now refuses it in both.
    @Test func aBlankCellIsRequiredInBothWaysIn() throws {
        let directory = try TemporaryDirectory()
        let source = try makeHosting(in: directory, name: "source")
        let target = try makeHosting(in: directory, name: "target")
        try SampleGenerator(structures: 1, students: 2, seed: 5).fill(source)
        let export = try Exporter(hosting: source).run(
            ExportOptions(selection: .all, outputDirectory: directory.path("out")))
        var lines = try String(contentsOf: export.csv, encoding: .utf8).components(separatedBy: "\r\n")
        let column = try #require(lines[0].components(separatedBy: ";").firstIndex(of: "Dénomination"))
        var fields = lines[1].components(separatedBy: ";")
        fields[column] = "\"\n\""
        lines[1] = fields.joined(separator: ";")
        try lines.joined(separator: "\r\n").write(to: export.csv, atomically: true, encoding: .utf8)

        let plan = try ImportPlanner(hosting: target).plan(csv: export.csv, zip: export.zip, resumes: false)
        #expect(plan.problems.map(\.message) == ["line 2, Dénomination: is required"], "\(plan.problems)")
        #expect(plan.problems.first?.code == .csvRequired && plan.problems.first?.location?.field == "Dénomination")

        var input = newStructure()
        input.denomination = "\n"
        #expect(throws: StructureValidationError.self) { try target.addStructure(input) }
    }
}
