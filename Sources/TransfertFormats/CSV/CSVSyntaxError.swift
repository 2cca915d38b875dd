import Foundation
import TransfertModel

/// Where the parser stopped: the line, the field or character, and why.
package struct CSVSyntaxError: Error {
    package var line: Int
    package var column: String
    package var message: String
}

extension CSVSyntaxError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    package var problemCode: ProblemCode { .csvSyntax }
}
