import Foundation
import TransfertFormats
import TransfertModel

/// What `restore --merge` adds to an establishment, table by table in reference order (parents first),
/// and which of the bundle's rows are the establishment's own already.
public struct MergePlan: Sendable {
    /// One table's share: the rows to insert (ids and references already rewritten), and the matches.
    public struct Table: Sendable {
        public var name: String
        public var columns: [String]
        public var inserts: [[SQLValue]]
        /// Rows whose natural key the establishment has already: not inserted, their id mapped.
        public var matches: [MergeMatch]
        /// Rows made only of references (memberships) that the establishment has already.
        public var alreadyThere: Int
        /// The bundle row each insert comes from, for messages (its primary key, or its position).
        public var origins: [String]
    }

    public var tables: [Table]

    public var matches: [MergeMatch] { tables.flatMap(\.matches) }
}

/// A bundle row found in the establishment by its natural key: the existing row is used, not duplicated.
public struct MergeMatch: Codable, Equatable, Sendable {
    public var table: String
    /// `login = 'jdupont'`.
    public var key: String
    public var bundleID: String
    public var existingID: String

    enum CodingKeys: String, CodingKey {
        case table, key
        case bundleID = "bundle_id"
        case existingID = "existing_id"
    }
}

/// What each table of a merge added, matched or found already there (the report's table).
public struct MergeTableSummary: Codable, Equatable, Sendable {
    public var table: String
    public var added: Int
    public var matched: Int
    public var alreadyThere: Int

    enum CodingKeys: String, CodingKey {
        case table, added, matched
        case alreadyThere = "already_there"
    }
}
