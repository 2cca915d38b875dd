import Foundation
import TransfertModel

/// Why a dump was refused, with its position.
public struct DumpParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public var position: DumpPosition
    public var message: String

    public var description: String { "\(position): \(message)" }

    static let allowed =
        "a dump may only hold BEGIN, CREATE TABLE, INSERT INTO its own tables, CREATE INDEX, CREATE VIEW, CREATE TRIGGER and COMMIT"
}

extension DumpParseError: LocatedError {
    public var problemCode: ProblemCode { .dumpRefused }
    public var location: ProblemLocation? {
        ProblemLocation(
            file: position.entry, line: position.line, column: position.column,
            establishment: position.entry.split(separator: "/").first.map(String.init))
    }
}
