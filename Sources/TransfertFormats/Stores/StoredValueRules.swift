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
    /// MariaDB's column types for neutral tables (``TypedColumnStorage``). A MySQL table (SACoche's,
    /// ``TableSchema/mysql``) keeps its declared types — DECIMAL, dates, ENUM… read back as text in
    /// MariaDB's own spelling — which no rule here predicts: its parsed digest is not trusted and the
    /// table is read back and digested after the load (``predictsEveryValue(of:)``).
    case mariadbColumnTypes
    /// PostgreSQL's column types (``TypedColumnStorage``): every table, MySQL ones included, is created
    /// with the neutral types.
    case postgresqlColumnTypes

    /// Whether every value of `table` is checked while parsing, so that its parsed digest stands for
    /// the stored table; otherwise the restore reads the table back to prove it.
    public func predictsEveryValue(of table: TableSchema) -> Bool {
        switch self {
        case .sqliteTypeAffinity: return true
        case .mariadbColumnTypes: return table.mysql == nil
        case .postgresqlColumnTypes: return true
        }
    }

    /// The engine's name, for a refusal.
    var engine: String {
        switch self {
        case .sqliteTypeAffinity: return "SQLite"
        case .mariadbColumnTypes: return "MariaDB"
        case .postgresqlColumnTypes: return "PostgreSQL"
        }
    }
}

extension EstablishmentStore {
    /// No prediction: what the engine stored is read back wherever it has to be proved.
    public var storedValueRules: StoredValueRules? { nil }
}
