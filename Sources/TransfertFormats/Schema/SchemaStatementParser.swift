import Foundation
import TransfertModel

/// Reads DDL — the statements of an application profile's schema, of a dump, or of SQLite's own
/// `sqlite_master` — into neutral values (``SchemaStatement``). It never executes anything: backends
/// re-create objects from the parsed values.
///
/// What it reads (`Docs/archive-format.md` §3): `CREATE TABLE` with typed columns, column constraints
/// (`PRIMARY KEY [ASC|DESC] [AUTOINCREMENT]`, `NOT NULL`, `UNIQUE`, `CHECK`, `DEFAULT`, `COLLATE`,
/// `REFERENCES`) and table constraints (`PRIMARY KEY`, `UNIQUE`, `CHECK`, `FOREIGN KEY`), `WITHOUT ROWID`
/// and `STRICT`; `CREATE [UNIQUE] INDEX` on columns or expressions with `WHERE`; `CREATE VIEW`;
/// `CREATE TRIGGER`. What it cannot carry faithfully (`ON CONFLICT` clauses, generated columns,
/// temporary objects, `CREATE TABLE … AS SELECT`) is refused with its position rather than dropped.
///
/// ```swift
/// let statement = try SchemaStatementParser.parse(Array("CREATE TABLE t (id INTEGER PRIMARY KEY);".utf8))
/// let schema = try SchemaStatementParser.parseScript(profile.schema)
/// ```
public enum SchemaStatementParser {
    /// Parses one statement (an optional final `;` included).
    public static func parse(_ bytes: [UInt8]) throws(SchemaSyntaxError) -> SchemaStatement {
        let tokens = try SQLTokenizer.tokens(of: bytes, annotations: true)
        var cursor = TokenCursor(tokens: tokens, endOffset: bytes.count)
        return try statement(&cursor)
    }

    /// Parses a whole script (a profile's `schema:`) into a database schema, indexes attached to their
    /// tables. Refuses an index or trigger on a table the script does not create.
    public static func parseScript(_ text: String) throws(SchemaScriptError) -> DatabaseSchema {
        let bytes = Array(text.utf8)
        let tokens: [SQLToken]
        do { tokens = try SQLTokenizer.tokens(of: bytes, annotations: true) } catch {
            throw SchemaScriptError(text: text, error: error)
        }
        var schema = DatabaseSchema()
        for range in statementRanges(tokens) {
            let end = range.upperBound < tokens.count ? tokens[range.upperBound - 1].offset + 1 : bytes.count
            var cursor = TokenCursor(tokens: Array(tokens[range]), endOffset: end)
            do {
                try add(try statement(&cursor), to: &schema, at: tokens[range.lowerBound].offset)
            } catch {
                throw SchemaScriptError(text: text, error: error)
            }
        }
        return schema
    }

    /// Adds a parsed statement to `schema`, checking that what it names exists.
    public static func add(_ statement: SchemaStatement, to schema: inout DatabaseSchema, at offset: Int)
        throws(SchemaSyntaxError)
    {
        switch statement {
        case .table(let table):
            guard schema.table(named: table.name) == nil else {
                throw SchemaSyntaxError(offset: offset, message: "table \(table.name) is created twice")
            }
            schema.tables.append(table)
        case .index(let index, let tableName):
            guard let position = schema.tables.firstIndex(where: { $0.name == tableName }) else {
                throw SchemaSyntaxError(
                    offset: offset,
                    message: "index \(index.name) is on table \(tableName), which is not created before it")
            }
            for column in index.columns where !schema.tables[position].columnNames.contains(column) {
                throw SchemaSyntaxError(
                    offset: offset,
                    message: "index \(index.name) names column \(column), which \(tableName) does not have")
            }
            guard !schema.tables.contains(where: { $0.indexes.contains { $0.name == index.name } }) else {
                throw SchemaSyntaxError(offset: offset, message: "index \(index.name) is created twice")
            }
            schema.tables[position].indexes.append(index)
        case .view(let view):
            guard !schema.views.contains(where: { $0.name == view.name }) else {
                throw SchemaSyntaxError(offset: offset, message: "view \(view.name) is created twice")
            }
            schema.views.append(view)
        case .trigger(let trigger):
            guard
                schema.table(named: trigger.table) != nil || schema.views.contains(where: { $0.name == trigger.table })
            else {
                throw SchemaSyntaxError(
                    offset: offset,
                    message: "trigger \(trigger.name) is on \(trigger.table), which is not created before it")
            }
            guard !schema.triggers.contains(where: { $0.name == trigger.name }) else {
                throw SchemaSyntaxError(offset: offset, message: "trigger \(trigger.name) is created twice")
            }
            schema.triggers.append(trigger)
        }
    }

    /// Cuts a token list into statements at `;`, keeping a trigger's body (`BEGIN … END`) whole.
    package static func statementRanges(_ tokens: [SQLToken]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var isTrigger = false
        var inBody = false
        var caseDepth = 0
        for (index, token) in tokens.enumerated() {
            if index == start {
                isTrigger = false
                inBody = false
                caseDepth = 0
            }
            if index - start <= 2, token.keyword == "TRIGGER", tokens[start].keyword == "CREATE" { isTrigger = true }
            if isTrigger, token.kind == .word {
                switch token.keyword {
                case "BEGIN" where !inBody: inBody = true
                case "CASE" where inBody: caseDepth += 1
                case "END" where inBody: if caseDepth > 0 { caseDepth -= 1 } else { inBody = false }
                default: break
                }
            }
            if token.kind == .symbol, token.text == ";", !inBody {
                ranges.append(start..<index + 1)
                start = index + 1
            }
        }
        if start < tokens.count { ranges.append(start..<tokens.count) }
        return ranges
    }

    // MARK: Statements

    static func statement(_ cursor: inout TokenCursor) throws(SchemaSyntaxError) -> SchemaStatement {
        try cursor.expect("CREATE")
        if cursor.peek("TEMP") || cursor.peek("TEMPORARY") {
            throw cursor.error("temporary objects are not part of a database's schema")
        }
        if cursor.accept("TABLE") { return .table(try table(&cursor)) }
        if cursor.accept("INDEX") { return try index(&cursor, unique: false) }
        if cursor.accept(["UNIQUE", "INDEX"]) { return try index(&cursor, unique: true) }
        if cursor.accept("VIEW") { return .view(try view(&cursor)) }
        if cursor.accept("TRIGGER") { return .trigger(try trigger(&cursor)) }
        if cursor.peek("VIRTUAL") {
            throw cursor.error("virtual tables are not supported: they depend on engine modules")
        }
        throw cursor.error("expected TABLE, INDEX, VIEW or TRIGGER after CREATE\(cursor.found)")
    }

    private static func table(_ cursor: inout TokenCursor) throws(SchemaSyntaxError) -> TableSchema {
        _ = cursor.accept(["IF", "NOT", "EXISTS"])
        let nameOffset = cursor.offset
        let name = try cursor.name("table")
        if name.lowercased().hasPrefix("sqlite_") {
            throw SchemaSyntaxError(offset: nameOffset, message: "table \(name) is reserved to SQLite")
        }
        if cursor.peek("AS") { throw cursor.error("CREATE TABLE … AS SELECT is not allowed: declare the columns") }
        try cursor.expectSymbol("(")
        var table = TableSchema(name: name, columns: [])
        repeat {
            if let constraint = try tableConstraint(&cursor) {
                table.constraints.append(constraint)
            } else {
                guard table.constraints.isEmpty else {
                    throw cursor.error("a column is declared after the table's constraints")
                }
                let columnOffset = cursor.offset
                let column = try self.column(&cursor)
                if table.columns.contains(where: { $0.name.lowercased() == column.name.lowercased() }) {
                    throw SchemaSyntaxError(
                        offset: columnOffset, message: "column \(column.name) is declared twice in \(name)")
                }
                table.columns.append(column)
            }
        } while cursor.acceptSymbol(",")
        if let annotation = cursor.current, annotation.kind == .annotation {
            table.mysql = try mysqlDefinition(annotation, of: table)
            cursor.index += 1
        }
        try cursor.expectSymbol(")")
        while let token = cursor.current, token.kind == .word {
            if cursor.accept(["WITHOUT", "ROWID"]) {
                table.withoutRowID = true
            } else if cursor.accept("STRICT") {
                table.strict = true
            } else {
                throw cursor.error("unknown table option '\(token.text)'")
            }
            _ = cursor.acceptSymbol(",")
        }
        try cursor.expectEnd()
        try check(table, at: nameOffset)
        return table
    }

    /// The MySQL declaration a `-- transfert-mysql` comment carries: one entry per column, same names.
    private static func mysqlDefinition(_ token: SQLToken, of table: TableSchema) throws(SchemaSyntaxError)
        -> MySQLTableDefinition
    {
        guard let definition = try? JSONDecoder().decode(MySQLTableDefinition.self, from: Data(token.text.utf8)) else {
            throw SchemaSyntaxError(
                offset: token.offset,
                message: "the transfert-mysql comment of \(table.name) is not a MySQL table definition")
        }
        guard definition.columns.map({ $0.name.lowercased() }) == table.columnNames.map({ $0.lowercased() }) else {
            throw SchemaSyntaxError(
                offset: token.offset,
                message: "the transfert-mysql comment of \(table.name) does not describe its columns")
        }
        for column in definition.columns {
            do { _ = try MySQLColumnType(parsing: column.type) } catch {
                throw SchemaSyntaxError(
                    offset: token.offset, message: "the transfert-mysql comment of \(table.name): \(error.message)")
            }
        }
        return definition
    }

    /// Constraints must name the table's own columns, and there is one primary key at most.
    private static func check(_ table: TableSchema, at offset: Int) throws(SchemaSyntaxError) {
        if table.columns.isEmpty {
            throw SchemaSyntaxError(offset: offset, message: "table \(table.name) has no column")
        }
        let keys =
            table.columns.filter(\.isPrimaryKey).count + table.constraints.filter { $0.kind == .primaryKey }.count
        if keys > 1 {
            throw SchemaSyntaxError(offset: offset, message: "table \(table.name) has more than one primary key")
        }
        if table.withoutRowID, keys == 0 {
            throw SchemaSyntaxError(
                offset: offset, message: "table \(table.name) is WITHOUT ROWID but has no primary key")
        }
        let names = Set(table.columnNames.map { $0.lowercased() })
        for constraint in table.constraints {
            for column in constraint.columns where !names.contains(column.lowercased()) {
                throw SchemaSyntaxError(
                    offset: offset,
                    message: "a constraint of \(table.name) names column \(column), which the table does not have")
            }
        }
    }

    private static let constraintWords: Set<String> = [
        "CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT",
        "COLLATE", "REFERENCES", "GENERATED", "AS", "ON",
    ]

    private static func column(_ cursor: inout TokenCursor) throws(SchemaSyntaxError) -> ColumnSchema {
        let name = try cursor.name("column")
        // The type: words up to a constraint, with an optional (n) or (n, m).
        var typeTokens: [SQLToken] = []
        while let token = cursor.current, token.isName, !constraintWords.contains(token.keyword) {
            typeTokens.append(token)
            cursor.index += 1
        }
        var declaredType = typeTokens.map(\.text).joined(separator: " ")
        if !typeTokens.isEmpty, cursor.peekSymbol("(") {
            let size = try cursor.parenthesised()
            guard
                size.allSatisfy({
                    $0.kind == .number || ($0.kind == .symbol && ($0.text == "," || $0.text == "-" || $0.text == "+"))
                })
            else {
                throw cursor.error("the size of type \(declaredType) must be numbers")
            }
            declaredType += "(" + SQLExpressionText.render(size) + ")"
        }
        var column = ColumnSchema(name: name, declaredType: declaredType)
        while let constraint = try columnConstraint(&cursor) { column.constraints.append(constraint) }
        return column
    }

    private static func columnConstraint(_ cursor: inout TokenCursor) throws(SchemaSyntaxError) -> ColumnConstraint? {
        var name: String?
        if cursor.accept("CONSTRAINT") { name = try cursor.name("constraint") }
        let start = cursor.offset
        var constraint: ColumnConstraint
        if cursor.accept(["PRIMARY", "KEY"]) {
            constraint = ColumnConstraint(.primaryKey)
            if cursor.accept("DESC") { constraint.descending = true } else { _ = cursor.accept("ASC") }
            try refuseConflictClause(&cursor)
            if cursor.accept("AUTOINCREMENT") { constraint.autoincrement = true }
        } else if cursor.accept(["NOT", "NULL"]) {
            constraint = ColumnConstraint(.notNull)
            try refuseConflictClause(&cursor)
        } else if cursor.accept("NULL") {
            // `NULL` only says what is already true: nothing to keep.
            return try columnConstraint(&cursor)
        } else if cursor.accept("UNIQUE") {
            constraint = ColumnConstraint(.unique)
            try refuseConflictClause(&cursor)
        } else if cursor.accept("CHECK") {
            constraint = ColumnConstraint(.check, expression: try expression(cursor.parenthesised()))
        } else if cursor.accept("DEFAULT") {
            constraint = ColumnConstraint(.defaultValue, expression: try defaultValue(&cursor))
        } else if cursor.accept("COLLATE") {
            constraint = ColumnConstraint(.collate, expression: try collation(&cursor))
        } else if cursor.peek("REFERENCES") {
            constraint = ColumnConstraint(.references, reference: try reference(&cursor))
        } else if cursor.peek("GENERATED") || cursor.peek("AS") {
            throw cursor.error("generated columns are not supported by the archive format")
        } else {
            if let name { throw SchemaSyntaxError(offset: start, message: "CONSTRAINT \(name) names nothing") }
            return nil
        }
        constraint.name = name
        return constraint
    }

    private static func refuseConflictClause(_ cursor: inout TokenCursor) throws(SchemaSyntaxError) {
        if cursor.peek("ON") { throw cursor.error("ON CONFLICT clauses are not supported by the archive format") }
    }

    private static func tableConstraint(_ cursor: inout TokenCursor) throws(SchemaSyntaxError) -> TableConstraint? {
        let saved = cursor.index
        var name: String?
        if cursor.accept("CONSTRAINT") { name = try cursor.name("constraint") }
        var constraint: TableConstraint
        if cursor.accept(["PRIMARY", "KEY"]) {
            constraint = TableConstraint(.primaryKey, columns: try keyColumns(&cursor))
            try refuseConflictClause(&cursor)
        } else if cursor.accept("UNIQUE") {
            constraint = TableConstraint(.unique, columns: try keyColumns(&cursor))
            try refuseConflictClause(&cursor)
        } else if cursor.accept("CHECK") {
            constraint = TableConstraint(.check, expression: try expression(cursor.parenthesised()))
        } else if cursor.accept(["FOREIGN", "KEY"]) {
            let columns = try cursor.nameList("column")
            constraint = TableConstraint(.foreignKey, columns: columns, reference: try reference(&cursor))
            if let parent = constraint.reference, !parent.columns.isEmpty, parent.columns.count != columns.count {
                throw cursor.error(
                    "the foreign key names \(columns.count) column(s) and \(parent.columns.count) parent column(s)")
            }
        } else {
            cursor.index = saved
            return nil
        }
        constraint.name = name
        return constraint
    }

    /// `(a, b)` of a table's PRIMARY KEY or UNIQUE: plain columns (an order or a collation there is refused).
    private static func keyColumns(_ cursor: inout TokenCursor) throws(SchemaSyntaxError) -> [String] {
        try cursor.expectSymbol("(")
        var names: [String] = []
        repeat {
            names.append(try cursor.name("column"))
            if cursor.peek("COLLATE") || cursor.peek("DESC") {
                throw cursor.error(
                    "COLLATE and DESC inside a table's key are not supported: declare them on the column")
            }
            _ = cursor.accept("ASC")
        } while cursor.acceptSymbol(",")
        try cursor.expectSymbol(")")
        return names
    }

    private static func reference(_ cursor: inout TokenCursor) throws(SchemaSyntaxError) -> ForeignKeyReference {
        try cursor.expect("REFERENCES")
        var reference = ForeignKeyReference(table: try cursor.name("parent table"), columns: [])
        if cursor.peekSymbol("(") { reference.columns = try cursor.nameList("parent column") }
        while true {
            if cursor.accept("ON") {
                let isDelete = cursor.accept("DELETE")
                if !isDelete { try cursor.expect("UPDATE") }
                let action: ForeignKeyAction
                if cursor.accept(["SET", "NULL"]) {
                    action = .setNull
                } else if cursor.accept(["SET", "DEFAULT"]) {
                    action = .setDefault
                } else if cursor.accept("CASCADE") {
                    action = .cascade
                } else if cursor.accept("RESTRICT") {
                    action = .restrict
                } else if cursor.accept(["NO", "ACTION"]) {
                    action = .noAction
                } else {
                    throw cursor.error(
                        "expected a foreign key action (CASCADE, SET NULL, SET DEFAULT, RESTRICT, NO ACTION)\(cursor.found)"
                    )
                }
                if isDelete { reference.onDelete = action } else { reference.onUpdate = action }
            } else if cursor.peek("MATCH") {
                throw cursor.error("MATCH clauses are not supported by the archive format")
            } else if cursor.peek("DEFERRABLE")
                || cursor.peek("NOT") && cursor.tokens.indices.contains(cursor.index + 1)
                    && cursor.tokens[cursor.index + 1].keyword == "DEFERRABLE"
            {
                let start = cursor.index
                _ = cursor.accept("NOT")
                try cursor.expect("DEFERRABLE")
                if cursor.accept("INITIALLY") {
                    if !cursor.accept("DEFERRED") { try cursor.expect("IMMEDIATE") }
                }
                reference.deferrable = cursor.tokens[start..<cursor.index].map { $0.keyword }.joined(separator: " ")
            } else {
                return reference
            }
        }
    }

    /// A DEFAULT: a signed number, a literal, `(expression)` or a bare keyword (`CURRENT_TIMESTAMP`).
    private static func defaultValue(_ cursor: inout TokenCursor) throws(SchemaSyntaxError) -> String {
        if cursor.peekSymbol("(") { return "(" + (try expression(cursor.parenthesised())) + ")" }
        guard let token = cursor.current else { throw cursor.error("expected a DEFAULT value") }
        if token.kind == .symbol, token.text == "-" || token.text == "+" {
            cursor.index += 1
            guard let number = cursor.current, number.kind == .number else {
                throw cursor.error("expected a number after the sign")
            }
            cursor.index += 1
            return token.text + number.text
        }
        switch token.kind {
        case .number, .string, .blob:
            cursor.index += 1
            return token.sql
        case .word
        where ["NULL", "TRUE", "FALSE", "CURRENT_TIME", "CURRENT_DATE", "CURRENT_TIMESTAMP"].contains(token.keyword):
            cursor.index += 1
            return token.keyword
        default:
            throw cursor.error(
                "a DEFAULT must be a literal, a signed number, CURRENT_TIMESTAMP or a parenthesised expression\(cursor.found)"
            )
        }
    }

    private static func collation(_ cursor: inout TokenCursor) throws(SchemaSyntaxError) -> String {
        let name = try cursor.name("collation")
        guard name.utf8.allSatisfy({ SQLTokenizer.isWordByte($0) && $0 < 0x80 }) else {
            throw cursor.error("collation name \(name) is not a plain word")
        }
        return name
    }

    private static func expression(_ tokens: ArraySlice<SQLToken>) throws(SchemaSyntaxError) -> String {
        guard !tokens.isEmpty else { throw SchemaSyntaxError(offset: 0, message: "an empty expression") }
        try SQLExpressionText.validate(tokens)
        return SQLExpressionText.render(tokens)
    }

    private static func index(_ cursor: inout TokenCursor, unique: Bool) throws(SchemaSyntaxError) -> SchemaStatement {
        _ = cursor.accept(["IF", "NOT", "EXISTS"])
        let nameOffset = cursor.offset
        let name = try cursor.name("index")
        if name.lowercased().hasPrefix("sqlite_") {
            throw SchemaSyntaxError(offset: nameOffset, message: "index \(name) is reserved to SQLite")
        }
        try cursor.expect("ON")
        let table = try cursor.name("table")
        try cursor.expectSymbol("(")
        var terms: [IndexTerm] = []
        repeat {
            var tokens = cursor.untilCommaOrClose()
            guard !tokens.isEmpty else { throw cursor.error("an empty index term") }
            var descending = false
            if let last = tokens.last, last.keyword == "DESC" || last.keyword == "ASC" {
                descending = last.keyword == "DESC"
                tokens.removeLast()
            }
            var collation: String?
            if tokens.count >= 2, tokens[tokens.endIndex - 2].keyword == "COLLATE", tokens.last!.isName {
                collation = tokens.last!.text
                tokens.removeLast(2)
            }
            if tokens.count == 1, let only = tokens.first, only.isName {
                terms.append(IndexTerm(column: only.text, collation: collation, descending: descending))
            } else {
                terms.append(
                    IndexTerm(expression: try expression(tokens), collation: collation, descending: descending))
            }
        } while cursor.acceptSymbol(",")
        try cursor.expectSymbol(")")
        var predicate: String?
        if cursor.accept("WHERE") { predicate = try expression(cursor.rest()) }
        try cursor.expectEnd()
        return .index(IndexSchema(name: name, unique: unique, terms: terms, predicate: predicate), table: table)
    }

    private static func view(_ cursor: inout TokenCursor) throws(SchemaSyntaxError) -> ViewSchema {
        _ = cursor.accept(["IF", "NOT", "EXISTS"])
        let name = try cursor.name("view")
        var columns: [String] = []
        if cursor.peekSymbol("(") { columns = try cursor.nameList("column") }
        try cursor.expect("AS")
        guard cursor.peek("SELECT") || cursor.peek("WITH") || cursor.peek("VALUES") else {
            throw cursor.error("a view must be a SELECT")
        }
        let select = cursor.rest()
        try SQLExpressionText.validate(select)
        return ViewSchema(name: name, columns: columns, select: SQLExpressionText.render(select))
    }

    private static func trigger(_ cursor: inout TokenCursor) throws(SchemaSyntaxError) -> TriggerSchema {
        _ = cursor.accept(["IF", "NOT", "EXISTS"])
        let name = try cursor.name("trigger")
        let definition = cursor.rest()
        try SQLExpressionText.validate(definition, allowSemicolons: true)
        // The table follows the first ON that is not part of the body.
        guard let on = definition.firstIndex(where: { $0.keyword == "ON" }),
            definition.index(after: on) < definition.endIndex,
            definition[definition.index(after: on)].isName
        else {
            throw SchemaSyntaxError(
                offset: definition.first?.offset ?? cursor.endOffset,
                message: "trigger \(name) names no table (ON table)")
        }
        guard definition.contains(where: { $0.keyword == "BEGIN" }), definition.last?.keyword == "END" else {
            throw SchemaSyntaxError(
                offset: definition.first?.offset ?? cursor.endOffset,
                message: "trigger \(name) must have a BEGIN … END body")
        }
        return TriggerSchema(
            name: name, table: definition[definition.index(after: on)].text,
            definition: SQLExpressionText.render(definition))
    }
}

/// A profile's schema script that cannot be read, with the line and column of the problem.
public struct SchemaScriptError: Error, Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    init(text: String, error: SchemaSyntaxError) {
        let before = Array(text.utf8.prefix(error.offset))
        line = before.filter { $0 == 0x0A }.count + 1
        let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        column = before[lineStart...].filter { $0 & 0xC0 != 0x80 }.count + 1
        message = error.message
    }

    public var description: String { "schema line \(line), column \(column): \(message)" }
}

extension SchemaScriptError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode { .schemaScript }
}
