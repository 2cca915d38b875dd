import Foundation
import TransfertModel

/// A record that is not blank, as the parser hands it over.
struct CSVRecord {
    /// The line where it starts.
    var line: Int
    /// The fields kept that hold more than spaces, by index, untrimmed.
    var kept: [(index: Int, text: String)]
    /// Fields up to the last that holds more than spaces.
    var fieldCount: Int
    /// Fields on the line, empty ones included.
    var totalFields: Int
}
