import Foundation
import TransfertFormats
import TransfertModel

/// A neutral table as PostgreSQL statements: the `CREATE TABLE` (columns, primary key, CHECKs), the keys
/// added after it (``PostgreSQLDeferredConstraint``), and the comments that keep what the catalogs do not
/// (``PostgreSQLNote``), run once the table exists.
struct PostgreSQLTableStatements: Equatable {
    var create: String
    var deferred: [PostgreSQLDeferredConstraint]
    var comments: [String]
}
