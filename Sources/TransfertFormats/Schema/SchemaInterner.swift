import Synchronization
import TransfertModel

/// Keeps one copy in memory of schemas that are equal.
///
/// The establishments of one hosting nearly always have the same schema, and every manifest entry
/// carries it whole (about 8 KB of JSON, several times that in memory): a bundle of 300 establishments
/// held 300 copies. Handing back the first equal schema shares its storage (Swift's arrays are
/// copy-on-write), so memory no longer grows with the number of establishments.
package final class SchemaInterner: Sendable {
    private let distinct = Mutex<[DatabaseSchema]>([])

    /// An equal schema seen before, or this one, remembered.
    package func shared(_ schema: DatabaseSchema) -> DatabaseSchema {
        distinct.withLock { distinct in
            if let same = distinct.first(where: { $0 == schema }) { return same }
            distinct.append(schema)
            return schema
        }
    }

    package init() {}
}
