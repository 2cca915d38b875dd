import Foundation
import TransfertModel

/// A plain-text table for terminals: a header, a rule, aligned columns.
///
/// ```swift
/// var table = TextTable(columns: [.init("Id", alignment: .right), .init("Name")])
/// table.append(["1", "Collège Émile Zola"])
/// print(table.render())
/// ```
public struct TextTable: Sendable {
    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment
        public init(_ title: String, alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public enum Alignment: Sendable { case left, right }

    public var columns: [Column]
    public private(set) var rows: [[String]] = []
    /// Rows drawn under a second rule (totals).
    public private(set) var footer: [[String]] = []

    public init(columns: [Column]) {
        self.columns = columns
    }

    public mutating func append(_ row: [String]) { rows.append(row) }
    public mutating func appendFooter(_ row: [String]) { footer.append(row) }

    public func render() -> String {
        let all = [columns.map(\.title)] + rows + footer
        let widths = columns.indices.map { index in
            all.map { $0.indices.contains(index) ? $0[index].count : 0 }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            columns.indices.map { index in
                let cell = cells.indices.contains(index) ? cells[index] : ""
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return columns[index].alignment == .right ? padding + cell : cell + padding
            }
            .joined(separator: "  ")
            .replacingTrailingSpaces()
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        var lines = [line(columns.map(\.title)), rule] + rows.map(line)
        if !footer.isEmpty { lines += [rule] + footer.map(line) }
        return lines.joined(separator: "\n")
    }
}

extension String {
    fileprivate func replacingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}

/// Formats byte counts the way operators read them: `12.3 MB`.
public func formatBytes(_ bytes: Int64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1000, unit < units.count - 1 {
        value /= 1000
        unit += 1
    }
    return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
}
