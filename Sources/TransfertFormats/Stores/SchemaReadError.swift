import Foundation
import TransfertModel

/// A database object the archive format cannot carry, found while reading a database's schema: the
/// export refuses it by name instead of leaving it out.
public struct SchemaReadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `table grades`, `index grades_recent`, `trigger audit`…
    public var object: String
    public var message: String

    public init(object: String, message: String) {
        self.object = object
        self.message = message
    }

    public var description: String {
        "\(object) cannot be carried by the archive format: \(message). Change it in the source database, or ask for support of it"
    }
}

extension SchemaReadError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode { .schemaUnreadable }
}
