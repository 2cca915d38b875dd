import Foundation
import Testing

@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

/// The registry written once must behave the same on every engine, for sequences nobody wrote by hand: seeded
/// random runs of inserts (explicit ids and new ids under the free-id rule), removals and free-id questions,
/// each answer — an id, a list of ids or the error's sentence — recorded, and the traces compared across
/// ``RegistryUnderTest/all`` (SQLite, MariaDB, PostgreSQL, in memory).
@Suite("Registry on random operation sequences")
struct RegistryDifferentialTests {
    static let seeds: [UInt64] = Array(1...8)
    static let operations = 40

    /// The trace of one seeded run on one registry; each new id is also checked against the rule itself.
    static func trace(seed: UInt64, on under: RegistryUnderTest) throws -> [String] {
        let made = try under.make()
        defer { made.cleanup() }
        let registry = made.registry
        var random = SeededGenerator(seed: seed)
        var trace: [String] = []
        for index in 0..<operations {
            // Ids a killed import left something under: never handed out.
            let modulus = Int64.random(in: 2...5, using: &random)
            let left = Int64.random(in: 0..<modulus, using: &random)
            let isFree: @Sendable (Int64) -> Bool = { $0 % modulus != left }
            let id = Int64.random(in: 1...24, using: &random)
            func record(_ label: String, _ body: () throws -> String) {
                do { trace.append("\(label): \(try body())") } catch { trace.append("\(label): error \(error)") }
            }
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                record("new id, not ≡ \(left) mod \(modulus)") {
                    let before = try registry.structures().map(\.baseID)
                    let inserted = try registry.insertWithNewID(
                        try BackendConformanceTests.structure(index), isFree: isFree)
                    #expect(isFree(inserted.baseID), "seed \(seed): \(inserted.baseID) was not free")
                    #expect(
                        before.allSatisfy { $0 < inserted.baseID },
                        "seed \(seed): \(inserted.baseID) is not above every registered id \(before)")
                    return "\(inserted.baseID)"
                }
            case 1:
                record("insert \(id)") {
                    try registry.insert(try BackendConformanceTests.structure(index, baseID: id))
                    return "ok"
                }
            case 2:
                record("remove \(id)") {
                    try registry.removeStructure(baseID: id, journal: nil)
                    return "ok"
                }
            default:
                let count = Int.random(in: 1...3, using: &random)
                let reserved = Set((0..<2).map { _ in Int64.random(in: 1...30, using: &random) })
                record("free ids ×\(count), reserved \(reserved.sorted())") {
                    try registry.freeIDs(count: count, reserved: reserved, isFree: isFree).map(String.init)
                        .joined(separator: ",")
                }
            }
        }
        trace.append("registered: \(try registry.structures().map(\.baseID).sorted())")
        return trace
    }

    @Test(arguments: seeds)
    func everyEngineGivesTheSameAnswers(seed: UInt64) throws {
        let traces = try RegistryUnderTest.all.map { ($0.name, try Self.trace(seed: seed, on: $0)) }
        #expect(traces.map(\.0) == ["SQLite", "MariaDB", "PostgreSQL", "in memory"])
        let (firstName, first) = try #require(traces.first)
        #expect(first.contains { $0.hasPrefix("new id") && !$0.contains("error") }, "the run inserts something")
        for (name, trace) in traces.dropFirst() {
            for (step, (expected, actual)) in zip(first, trace).enumerated() where expected != actual {
                Issue.record("seed \(seed), step \(step): \(firstName) says “\(expected)”, \(name) says “\(actual)”")
                break
            }
            #expect(trace.count == first.count)
        }
    }
}
