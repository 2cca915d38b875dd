import Foundation
import TransfertModel

/// Bounds a dump reader holds a hostile dump to (`Docs/archive-format.md` §3).
public enum DumpLimits {
    /// The most tables, indexes, views and triggers one dump may declare: a real establishment has a
    /// few hundred, and each object is checked against the others.
    public static let maximumSchemaObjects = 10_000
}
