import Foundation
import TransfertFormats
import TransfertModel

/// What a merge added, matched and found already there, table by table in the order it took them.
public struct MergeOutcome: Sendable {
    public var tables: [MergeTableSummary] = []
    public var matches: [MergeMatch] = []
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
