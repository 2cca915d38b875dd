import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit

/// Issue #29: an import compares each distinct restored schema with a fresh establishment's once, not once
/// per establishment; a different schema is compared on its own.
@Suite("Schema difference cache")
struct SchemaDifferenceCacheTests {
    @Test func anEqualSchemaIsComparedOnceAndADifferentOneAgain() throws {
        let cache = SchemaDifferenceCache()
        let first = try DatabaseSchema(parsing: "CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT NOT NULL);")
        let same = try DatabaseSchema(parsing: "CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT NOT NULL);")
        let other = try DatabaseSchema(parsing: "CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT);")
        var comparisons = 0
        let compare = { (notes: [String]) in
            { () -> [String] in
                comparisons += 1
                return notes
            }
        }
        #expect(cache.notes(for: first, compare: compare(["differs: t.label"])) == ["differs: t.label"])
        #expect(cache.notes(for: same, compare: compare(["never asked"])) == ["differs: t.label"])
        #expect(comparisons == 1)
        #expect(cache.notes(for: other, compare: compare([])) == [])
        #expect(comparisons == 2)
    }

    @Test func aComparisonThatFailsIsNotRemembered() throws {
        struct Refused: Error {}
        let cache = SchemaDifferenceCache()
        let schema = try DatabaseSchema(parsing: "CREATE TABLE t (id INTEGER PRIMARY KEY);")
        #expect(throws: Refused.self) { try cache.notes(for: schema) { throw Refused() } }
        #expect(try cache.notes(for: schema) { ["asked again"] } == ["asked again"])
    }
}
