import Foundation

/// Where the parser stopped: the line, the field or character, and why.
struct CSVSyntaxError: Error {
    var line: Int
    var column: String
    var message: String
}

extension CSVSyntaxError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    var problemCode: ProblemCode { .csvSyntax }
}
