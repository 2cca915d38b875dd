import Foundation

/// Why a dump was refused, with its position.
public struct DumpParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var position: DumpPosition
    public var message: String

    public var description: String { "\(position): \(message)" }

    static let allowed = "a dump may only hold BEGIN, CREATE TABLE, INSERT INTO its own tables, CREATE INDEX, CREATE VIEW, CREATE TRIGGER and COMMIT"
}
