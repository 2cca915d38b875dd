import Foundation

/// Row count and content digest of one table.
public struct TableDigest: Codable, Equatable, Sendable {
    public var table: String
    public var rows: Int64
    public var sha256: String

    public init(table: String, rows: Int64, sha256: String) {
        self.table = table
        self.rows = rows
        self.sha256 = sha256
    }
}
