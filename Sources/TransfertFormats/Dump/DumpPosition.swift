import Foundation
import TransfertModel

/// Where something is in a dump: the ZIP entry, and the line and column in it.
public struct DumpPosition: Sendable, Equatable, CustomStringConvertible {
    public var entry: String
    public var line: Int
    public var column: Int

    public var description: String { "\(entry) line \(line), column \(column)" }
}
