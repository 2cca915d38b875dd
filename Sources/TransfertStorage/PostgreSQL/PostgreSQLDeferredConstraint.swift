import Foundation
import TransfertFormats
import TransfertModel

/// A unique key or a foreign key of a table (and, in a load, its primary key), added by `ALTER TABLE`
/// once every table exists (a foreign key may name a table created after its own) and, in a load, once
/// every row is in: PostgreSQL then builds a key's index once, sorted, instead of inserting each row into
/// it, and a foreign key added `NOT VALID` checks no row until it is validated, all rows at once, by one
/// join (``PostgreSQLEstablishmentWriter/foreignKeyViolations(limit:)``; the anti-joins of
/// ``PostgreSQLForeignKeyChecker`` name the orphans when one is refused).
struct PostgreSQLDeferredConstraint: Equatable {
    let table: String
    /// The constraint's name (given by Transfert when the schema gave none: its comment says so).
    let name: String
    /// `PRIMARY KEY (…)`, `UNIQUE (…)` or `FOREIGN KEY (…) REFERENCES …`.
    let clause: String
    let kind: Kind
    /// The `COMMENT ON CONSTRAINT` statement that keeps what the catalog does not, if any.
    let comment: String?

    /// What the key is; also the order keys are added in (a foreign key needs the key it references).
    enum Kind: Int, Comparable {
        case primaryKey, unique, foreignKey

        static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    var isForeignKey: Bool { kind == .foreignKey }

    /// The `ALTER TABLE`; a foreign key added to rows already loaded is `NOT VALID` (checked apart).
    func statement(notValid: Bool) -> String {
        "ALTER TABLE \(quoteIdentifier(table)) ADD CONSTRAINT \(quoteIdentifier(name)) \(clause)"
            + (isForeignKey && notValid ? " NOT VALID" : "")
    }

    /// Makes a `NOT VALID` foreign key valid (its rows were proved by the anti-joins).
    var validation: String {
        "ALTER TABLE \(quoteIdentifier(table)) VALIDATE CONSTRAINT \(quoteIdentifier(name))"
    }
}
