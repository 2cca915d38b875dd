import Foundation
import TransfertModel

/// How two schemas differ, in words an operator reads ("table grades: foreign key (student_id) →
/// users(id) ON DELETE CASCADE is missing"), each difference a ``Problem`` whose `field` is the table (or the
/// view or trigger) it concerns: ``ProblemCode/schemaMissingObject``, ``ProblemCode/schemaUnexpectedObject``,
/// ``ProblemCode/schemaDifferent``. Used to check that an imported establishment has the schema
/// of a fresh one, and by tests.
public enum SchemaComparison {
    /// Every difference of `actual` from `expected`; empty when they declare the same objects.
    /// Names compare without regard to case, as SQL names do; expressions compare in canonical text.
    public static func differences(
        expected: DatabaseSchema, actual: DatabaseSchema, actualLabel: String = "the database"
    ) -> [Problem] {
        let expected = comparable(expected)
        let actual = comparable(actual)
        var problems: [Problem] = []
        let actualTables = Dictionary(
            actual.tables.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        for table in expected.tables {
            guard let found = actualTables[table.name.lowercased()] else {
                problems.append(
                    problem(.schemaMissingObject, table.name, "table \(table.name) is missing from \(actualLabel)"))
                continue
            }
            problems += differences(expected: table, actual: found, actualLabel: actualLabel)
        }
        let expectedTables = Set(expected.tables.map { $0.name.lowercased() })
        for table in actual.tables where !expectedTables.contains(table.name.lowercased()) {
            problems.append(
                problem(
                    .schemaUnexpectedObject, table.name, "table \(table.name) is in \(actualLabel) but not expected"))
        }
        problems += objectDifferences(
            "view", expected.views.map { ($0.name, describe($0)) }, actual.views.map { ($0.name, describe($0)) },
            actualLabel,
            table: nil)
        problems += objectDifferences(
            "trigger", expected.triggers.map { ($0.name, comparableText($0.definition)) },
            actual.triggers.map { ($0.name, comparableText($0.definition)) }, actualLabel, table: nil)
        return problems
    }

    /// A difference of the table or object named `field`.
    private static func problem(_ code: ProblemCode, _ field: String, _ message: String) -> Problem {
        Problem(code: code, message: message, location: ProblemLocation(field: field))
    }

    static func differences(expected: TableSchema, actual: TableSchema, actualLabel: String) -> [Problem] {
        var problems: [Problem] = []
        let prefix = "table \(expected.name)"
        let name = expected.name
        func differ(_ message: String, as code: ProblemCode = .schemaDifferent) {
            problems.append(problem(code, name, message))
        }
        if expected.columns.map({ $0.name.lowercased() }) != actual.columns.map({ $0.name.lowercased() }) {
            differ(
                "\(prefix) has columns (\(actual.columnNames.joined(separator: ", "))) in \(actualLabel) where (\(expected.columnNames.joined(separator: ", "))) is expected"
            )
        } else {
            for (wanted, found) in zip(expected.columns, actual.columns) where describe(wanted) != describe(found) {
                differ(
                    "\(prefix): column \(wanted.name) is `\(PortableDDL.column(found))` in \(actualLabel) where `\(PortableDDL.column(wanted))` is expected"
                )
            }
        }
        let wantedConstraints = expected.constraints.map { comparableText(PortableDDL.tableConstraint($0)) }
        let foundConstraints = actual.constraints.map { comparableText(PortableDDL.tableConstraint($0)) }
        for constraint in wantedConstraints
        where !foundConstraints.contains(where: { $0.caseInsensitiveCompare(constraint) == .orderedSame }) {
            differ("\(prefix): constraint `\(constraint)` is missing from \(actualLabel)", as: .schemaMissingObject)
        }
        for constraint in foundConstraints
        where !wantedConstraints.contains(where: { $0.caseInsensitiveCompare(constraint) == .orderedSame }) {
            differ(
                "\(prefix): constraint `\(constraint)` is in \(actualLabel) but not expected",
                as: .schemaUnexpectedObject)
        }
        if expected.withoutRowID != actual.withoutRowID || expected.strict != actual.strict {
            differ("\(prefix): table options (WITHOUT ROWID, STRICT) differ in \(actualLabel)")
        }
        problems += mysqlDifferences(expected.mysql, actual.mysql, prefix: prefix, actualLabel: actualLabel)
            .map { problem(.schemaDifferent, name, $0) }
        problems += objectDifferences(
            "\(prefix): index",
            expected.indexes.map { ($0.name, comparableText(PortableDDL.createIndex($0, on: expected.name))) },
            actual.indexes.map { ($0.name, comparableText(PortableDDL.createIndex($0, on: expected.name))) },
            actualLabel,
            table: name)
        return problems
    }

    /// What the MySQL declarations say differently: column types, collations, AUTO_INCREMENT, comments,
    /// FULLTEXT keys, engine and charset. The table's `AUTO_INCREMENT=` counter is data, not schema.
    static func mysqlDifferences(
        _ expected: MySQLTableDefinition?, _ actual: MySQLTableDefinition?, prefix: String, actualLabel: String
    ) -> [String] {
        guard expected != nil || actual != nil else { return [] }
        guard let expected, let actual else {
            return [
                "\(prefix) is \(actual == nil ? "not " : "")declared as a MySQL table in \(actualLabel), where it is \(expected == nil ? "not " : "")expected to be"
            ]
        }
        var problems: [String] = []
        for (wanted, found) in zip(expected.columns, actual.columns) where wanted != found {
            func text(_ c: MySQLColumnDefinition) -> String {
                [
                    c.type, c.collation.map { "COLLATE \($0)" }, c.autoIncrement ? "AUTO_INCREMENT" : nil,
                    c.onUpdateCurrentTimestamp ? "ON UPDATE CURRENT_TIMESTAMP" : nil,
                    c.comment.map { "COMMENT '\($0)'" },
                ]
                .compactMap { $0 }.joined(separator: " ")
            }
            problems.append(
                "\(prefix): column \(wanted.name) is MySQL `\(text(found))` in \(actualLabel) where `\(text(wanted))` is expected"
            )
        }
        if Set(expected.fulltextKeys) != Set(actual.fulltextKeys) {
            problems.append(
                "\(prefix): FULLTEXT keys (\(actual.fulltextKeys.joined(separator: ", "))) in \(actualLabel) where (\(expected.fulltextKeys.joined(separator: ", "))) are expected"
            )
        }
        if expected.engine?.lowercased() != actual.engine?.lowercased() || expected.charset != actual.charset
            || expected.collation != actual.collation || expected.comment != actual.comment
        {
            problems.append(
                "\(prefix): MySQL table options (ENGINE=\(actual.engine ?? "?") CHARSET=\(actual.charset ?? "?") COLLATE=\(actual.collation ?? "?")) in \(actualLabel) where (ENGINE=\(expected.engine ?? "?") CHARSET=\(expected.charset ?? "?") COLLATE=\(expected.collation ?? "?")) are expected"
            )
        }
        return problems
    }

    private static func describe(_ column: ColumnSchema) -> String { comparableText(PortableDDL.column(column)) }
    private static func describe(_ view: ViewSchema) -> String { comparableText(PortableDDL.createView(view)) }

    /// The same schema in a form where what engines spell differently does not count: a primary-key
    /// column is NOT NULL (MariaDB makes it so), column constraints in one order, expressions with plain
    /// names unquoted.
    static func comparable(_ schema: DatabaseSchema) -> DatabaseSchema {
        var schema = schema
        let order: [ColumnConstraint.Kind] = [
            .primaryKey, .notNull, .unique, .defaultValue, .collate, .check, .references,
        ]
        for t in schema.tables.indices {
            // Where a one-column constraint is written (on the column or after the columns) and where a
            // CHECK is written does not change what it means: one place for each.
            var table = schema.tables[t]
            for constraint in table.constraints where constraint.columns.count == 1 && constraint.kind != .check {
                guard
                    let c = table.columns.firstIndex(where: {
                        $0.name.lowercased() == constraint.columns[0].lowercased()
                    })
                else { continue }
                let kind: ColumnConstraint.Kind =
                    constraint.kind == .primaryKey ? .primaryKey : constraint.kind == .unique ? .unique : .references
                table.columns[c].constraints.append(
                    ColumnConstraint(kind, name: constraint.name, reference: constraint.reference))
            }
            table.constraints.removeAll { $0.columns.count == 1 && $0.kind != .check }
            for c in table.columns.indices {
                for check in table.columns[c].constraints where check.kind == .check {
                    table.constraints.append(TableConstraint(.check, name: check.name, expression: check.expression))
                }
                table.columns[c].constraints.removeAll { $0.kind == .check }
            }
            schema.tables[t] = table
            let key = Set(schema.tables[t].primaryKey)
            for c in schema.tables[t].columns.indices {
                var column = schema.tables[t].columns[c]
                if key.contains(column.name), !column.notNull { column.constraints.append(ColumnConstraint(.notNull)) }
                column.constraints = column.constraints.map { constraint in
                    var constraint = constraint
                    if let expression = constraint.expression { constraint.expression = comparableText(expression) }
                    return constraint
                }.sorted { order.firstIndex(of: $0.kind)! < order.firstIndex(of: $1.kind)! }
                schema.tables[t].columns[c] = column
            }
            schema.tables[t].constraints = schema.tables[t].constraints.map { constraint in
                var constraint = constraint
                if let expression = constraint.expression { constraint.expression = comparableText(expression) }
                return constraint
            }
        }
        return schema
    }

    /// SQL text with plain names unquoted and keywords in one case, strings untouched.
    static func comparableText(_ text: String) -> String {
        guard var tokens = try? SQLTokenizer.tokens(of: Array(text.utf8)) else { return text.lowercased() }
        for index in tokens.indices {
            switch tokens[index].kind {
            case .quotedName
            where tokens[index].text.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil:
                tokens[index].kind = .word
                tokens[index].text = tokens[index].text.lowercased()
            case .word, .quotedName:
                tokens[index].text = tokens[index].text.lowercased()
            default: break
            }
        }
        return SQLExpressionText.render(tokens[...])
    }

    /// Views, triggers or a table's indexes by name; `field` is `table` when they belong to one, else the
    /// object's own name.
    private static func objectDifferences(
        _ kind: String, _ expected: [(String, String)], _ actual: [(String, String)], _ label: String,
        table: String?
    ) -> [Problem] {
        var problems: [Problem] = []
        let found = Dictionary(actual.map { ($0.0.lowercased(), $0.1) }, uniquingKeysWith: { first, _ in first })
        for (name, text) in expected {
            guard let other = found[name.lowercased()] else {
                problems.append(
                    problem(.schemaMissingObject, table ?? name, "\(kind) \(name) is missing from \(label)"))
                continue
            }
            if other.caseInsensitiveCompare(text) != .orderedSame {
                problems.append(
                    problem(
                        .schemaDifferent, table ?? name,
                        "\(kind) \(name) is `\(other)` in \(label) where `\(text)` is expected"))
            }
        }
        let wanted = Set(expected.map { $0.0.lowercased() })
        for (name, _) in actual where !wanted.contains(name.lowercased()) {
            problems.append(
                problem(.schemaUnexpectedObject, table ?? name, "\(kind) \(name) is in \(label) but not expected"))
        }
        return problems
    }
}
