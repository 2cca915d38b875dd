import Foundation

/// Where the parser stopped: the line, the field or character, and why.
struct CSVSyntaxError: Error {
    var line: Int
    var column: String
    var message: String
}
