import Foundation
import TransfertModel

/// How an engine may convert a value bound to a column before storing it, as far as a restore can
/// predict it from the parsed schema (``StoredValueCheck``).
///
/// A restore's digests are taken from the values as they were parsed; they prove what is stored only if
/// each value is stored as it was parsed. An engine that can say so value by value lets the restore
/// refuse the ones it would change, and trust the parsed digests (import and `verify --deep` then skip
/// reading the tables back).
public enum StoredValueRules: Sendable, Equatable {
    /// SQLite's type affinity (https://sqlite.org/datatype3.html §3–4): ``SQLiteAffinity``.
    case sqliteTypeAffinity
}

extension EstablishmentStore {
    /// No prediction: what the engine stored is read back wherever it has to be proved.
    public var storedValueRules: StoredValueRules? { nil }
}
