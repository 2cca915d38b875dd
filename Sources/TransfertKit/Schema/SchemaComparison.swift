import Foundation

/// How two schemas differ, in words an operator reads ("table grades: foreign key (student_id) →
/// users(id) ON DELETE CASCADE is missing"). Used to check that an imported establishment has the schema
/// of a fresh one, and by tests.
public enum SchemaComparison {
    /// Every difference of `actual` from `expected`; empty when they declare the same objects.
    /// Names compare without regard to case, as SQL names do; expressions compare in canonical text.
    public static func differences(expected: DatabaseSchema, actual: DatabaseSchema, actualLabel: String = "the database") -> [String] {
        var problems: [String] = []
        let actualTables = Dictionary(actual.tables.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        for table in expected.tables {
            guard let found = actualTables[table.name.lowercased()] else {
                problems.append("table \(table.name) is missing from \(actualLabel)")
                continue
            }
            problems += differences(expected: table, actual: found, actualLabel: actualLabel)
        }
        let expectedTables = Set(expected.tables.map { $0.name.lowercased() })
        for table in actual.tables where !expectedTables.contains(table.name.lowercased()) {
            problems.append("table \(table.name) is in \(actualLabel) but not expected")
        }
        problems += objectDifferences("view", expected.views.map { ($0.name, describe($0)) }, actual.views.map { ($0.name, describe($0)) }, actualLabel)
        problems += objectDifferences("trigger", expected.triggers.map { ($0.name, $0.definition) }, actual.triggers.map { ($0.name, $0.definition) }, actualLabel)
        return problems
    }

    static func differences(expected: TableSchema, actual: TableSchema, actualLabel: String) -> [String] {
        var problems: [String] = []
        let prefix = "table \(expected.name)"
        if expected.columns.map({ $0.name.lowercased() }) != actual.columns.map({ $0.name.lowercased() }) {
            problems.append("\(prefix) has columns (\(actual.columnNames.joined(separator: ", "))) in \(actualLabel) where (\(expected.columnNames.joined(separator: ", "))) is expected")
        } else {
            for (wanted, found) in zip(expected.columns, actual.columns) where describe(wanted) != describe(found) {
                problems.append("\(prefix): column \(wanted.name) is `\(PortableDDL.column(found))` in \(actualLabel) where `\(PortableDDL.column(wanted))` is expected")
            }
        }
        let wantedConstraints = expected.constraints.map(PortableDDL.tableConstraint)
        let foundConstraints = actual.constraints.map(PortableDDL.tableConstraint)
        for constraint in wantedConstraints where !foundConstraints.contains(where: { $0.caseInsensitiveCompare(constraint) == .orderedSame }) {
            problems.append("\(prefix): constraint `\(constraint)` is missing from \(actualLabel)")
        }
        for constraint in foundConstraints where !wantedConstraints.contains(where: { $0.caseInsensitiveCompare(constraint) == .orderedSame }) {
            problems.append("\(prefix): constraint `\(constraint)` is in \(actualLabel) but not expected")
        }
        if expected.withoutRowID != actual.withoutRowID || expected.strict != actual.strict {
            problems.append("\(prefix): table options (WITHOUT ROWID, STRICT) differ in \(actualLabel)")
        }
        problems += objectDifferences("\(prefix): index", expected.indexes.map { ($0.name, PortableDDL.createIndex($0, on: expected.name)) },
                                      actual.indexes.map { ($0.name, PortableDDL.createIndex($0, on: expected.name)) }, actualLabel)
        return problems
    }

    private static func describe(_ column: ColumnSchema) -> String { PortableDDL.column(column).lowercased() }
    private static func describe(_ view: ViewSchema) -> String { PortableDDL.createView(view) }

    private static func objectDifferences(_ kind: String, _ expected: [(String, String)], _ actual: [(String, String)], _ label: String) -> [String] {
        var problems: [String] = []
        let found = Dictionary(actual.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { first, _ in first })
        for (name, text) in expected {
            guard let other = found[name.lowercased()] else { problems.append("\(kind) \(name) is missing from \(label)"); continue }
            if other.caseInsensitiveCompare(text) != .orderedSame { problems.append("\(kind) \(name) is `\(other)` in \(label) where `\(text)` is expected") }
        }
        let wanted = Set(expected.map { $0.0.lowercased() })
        for (name, _) in actual where !wanted.contains(name.lowercased()) { problems.append("\(kind) \(name) is in \(label) but not expected") }
        return problems
    }
}
