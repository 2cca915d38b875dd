import Synchronization
import TransfertFormats

/// Remembers, for the length of an import, what the comparison of an imported schema with a fresh
/// establishment's said: the establishments of one bundle nearly always share one schema, and the
/// comparison (every DDL text normalized, table by table) cost more than the rest of an establishment's
/// checks together. An equal schema gets the same answer; comparing two schemas for equality is cheap.
/// Two restores may ask at once, hence the lock.
///
/// ```swift
/// let cache = SchemaDifferenceCache()
/// let notes = try cache.notes(for: imported) { SchemaComparison.differences(…).map(\.message) }
/// ```
final class SchemaDifferenceCache: Sendable {
    /// The few distinct schemas seen so far, with their notes (a bundle rarely has more than one or two).
    private let known = Mutex<[(schema: DatabaseSchema, notes: [String])]>([])
    static let capacity = 4

    /// The notes of `schema`: remembered when an equal schema was compared before, else `compare()`'s.
    func notes(for schema: DatabaseSchema, compare: () throws -> [String]) rethrows -> [String] {
        if let remembered = known.withLock({ $0.first { $0.schema == schema }?.notes }) { return remembered }
        let notes = try compare()
        known.withLock { known in
            if known.count >= Self.capacity { known.removeFirst() }
            known.append((schema, notes))
        }
        return notes
    }
}
