import Foundation
import TransfertFormats
import TransfertModel

/// A unique key or a foreign key of a table, added by `ALTER TABLE` once every table exists (a foreign
/// key may name a table created after its own) and, in a load, once every row is in: PostgreSQL then
/// builds a unique key's index once, sorted, instead of inserting each row into it, and a foreign key
/// added `NOT VALID` checks no row (the anti-joins of ``PostgreSQLForeignKeyChecker`` prove them, and
/// name every orphan).
struct PostgreSQLDeferredConstraint: Equatable {
    let table: String
    /// The constraint's name (given by Transfert when the schema gave none: its comment says so).
    let name: String
    /// `UNIQUE (…)` or `FOREIGN KEY (…) REFERENCES …`.
    let clause: String
    let isForeignKey: Bool
    /// The `COMMENT ON CONSTRAINT` statement that keeps what the catalog does not, if any.
    let comment: String?

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
