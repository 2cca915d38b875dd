import Foundation
import TransfertModel

/// One establishment row of the CSV, with its line number in the file.
///
/// Its values are kept in the order of ``CSVManifest/header``, one string each: a manifest of 100,000
/// rows costs a few hundred bytes a row, not a dictionary each.
public struct ManifestRow: Sendable, Equatable {
    /// The line where the row starts (1 is the header).
    public var line: Int
    /// How many fields the line holds, trailing empty ones left out: more than the header's means a
    /// separator written raw inside a value (SACoche writes values without quoting).
    public var fieldCount: Int
    /// Trimmed values in ``CSVManifest/header`` order; "" for an absent column.
    var fields: [String]
    /// The columns the CSV has, by their place in ``CSVManifest/header``.
    var present: Set<Int>

    /// Trimmed values by canonical column name, for the columns the CSV has.
    public var values: [String: String] {
        Dictionary(uniqueKeysWithValues: present.sorted().map { (CSVManifest.header[$0], fields[$0]) })
    }

    public init(line: Int, values: [String: String], fieldCount: Int? = nil) {
        let header = CSVManifest.header
        self.init(
            line: line, fields: header.map { values[$0] ?? "" },
            present: Set(header.indices.filter { values[header[$0]] != nil }),
            fieldCount: fieldCount ?? values.count)
    }

    init(line: Int, fields: [String], present: Set<Int>, fieldCount: Int) {
        self.line = line
        self.fields = fields
        self.present = present
        self.fieldCount = fieldCount
    }

    /// The value of a column; "" when the CSV has no such column.
    public subscript(column: String) -> String {
        guard let slot = Self.slots[column] else { return "" }
        return fields[slot]
    }

    private static let slots = Dictionary(uniqueKeysWithValues: CSVManifest.header.enumerated().map { ($1, $0) })
}
