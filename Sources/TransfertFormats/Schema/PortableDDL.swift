import Foundation
import TransfertModel

/// Writes a neutral schema as DDL in the archive format's dialect (`Docs/archive-format.md` §3):
/// double-quoted names, declared types, every constraint in declaration order. The dialect is a subset
/// that SQLite runs as it is, so a dump also loads by hand with `sqlite3`; other backends write their own
/// DDL from the same neutral values.
///
/// ```swift
/// PortableDDL.createTable(table)   // CREATE TABLE "grades" (…);
/// ```
public enum PortableDDL {
    public static func createTable(_ table: TableSchema) -> String {
        var parts = table.columns.map(column)
        parts += table.constraints.map(tableConstraint)
        // A MySQL table's own declaration rides along in a comment, which SQLite keeps with the DDL.
        let annotation = table.mysql.map { "\n  -- " + $0.annotation } ?? ""
        var statement =
            "CREATE TABLE \(quoteIdentifier(table.name)) (\n  " + parts.joined(separator: ",\n  ") + annotation + "\n)"
        var options: [String] = []
        if table.withoutRowID { options.append("WITHOUT ROWID") }
        if table.strict { options.append("STRICT") }
        if !options.isEmpty { statement += " " + options.joined(separator: ", ") }
        return statement + ";"
    }

    public static func createIndex(_ index: IndexSchema, on table: String) -> String {
        let terms = index.terms.map { term -> String in
            var text = term.column.map(quoteIdentifier) ?? term.expression ?? ""
            if let collation = term.collation { text += " COLLATE \(collation)" }
            if term.descending { text += " DESC" }
            return text
        }
        var statement =
            "CREATE \(index.unique ? "UNIQUE " : "")INDEX \(quoteIdentifier(index.name)) ON \(quoteIdentifier(table)) (\(terms.joined(separator: ", ")))"
        if let predicate = index.predicate { statement += " WHERE \(predicate)" }
        return statement + ";"
    }

    public static func createView(_ view: ViewSchema) -> String {
        let columns = view.columns.isEmpty ? "" : " (\(view.columns.map(quoteIdentifier).joined(separator: ", ")))"
        return "CREATE VIEW \(quoteIdentifier(view.name))\(columns) AS \(view.select);"
    }

    public static func createTrigger(_ trigger: TriggerSchema) -> String {
        "CREATE TRIGGER \(quoteIdentifier(trigger.name)) \(trigger.definition);"
    }

    /// Every statement of `schema`: tables, then indexes, views and triggers.
    public static func statements(for schema: DatabaseSchema) -> [String] {
        schema.tables.map(createTable)
            + schema.tables.flatMap { table in table.indexes.map { createIndex($0, on: table.name) } }
            + schema.views.map(createView) + schema.triggers.map(createTrigger)
    }

    static func column(_ column: ColumnSchema) -> String {
        var text = quoteIdentifier(column.name)
        if !column.declaredType.isEmpty { text += " " + column.declaredType }
        for constraint in column.constraints {
            if let name = constraint.name { text += " CONSTRAINT \(quoteIdentifier(name))" }
            switch constraint.kind {
            case .primaryKey:
                text += " PRIMARY KEY"
                if constraint.descending == true { text += " DESC" }
                if constraint.autoincrement == true { text += " AUTOINCREMENT" }
            case .notNull: text += " NOT NULL"
            case .unique: text += " UNIQUE"
            case .check: text += " CHECK (\(constraint.expression ?? ""))"
            case .defaultValue: text += " DEFAULT \(constraint.expression ?? "NULL")"
            case .collate: text += " COLLATE \(constraint.expression ?? "BINARY")"
            case .references: text += " " + reference(constraint.reference!)
            }
        }
        return text
    }

    static func tableConstraint(_ constraint: TableConstraint) -> String {
        var text = constraint.name.map { "CONSTRAINT \(quoteIdentifier($0)) " } ?? ""
        let columns = "(\(constraint.columns.map(quoteIdentifier).joined(separator: ", ")))"
        switch constraint.kind {
        case .primaryKey: text += "PRIMARY KEY \(columns)"
        case .unique: text += "UNIQUE \(columns)"
        case .check: text += "CHECK (\(constraint.expression ?? ""))"
        case .foreignKey: text += "FOREIGN KEY \(columns) " + reference(constraint.reference!)
        }
        return text
    }

    static func reference(_ reference: ForeignKeyReference) -> String {
        var text = "REFERENCES \(quoteIdentifier(reference.table))"
        if !reference.columns.isEmpty { text += " (\(reference.columns.map(quoteIdentifier).joined(separator: ", ")))" }
        if reference.onDelete != .noAction { text += " ON DELETE \(reference.onDelete.rawValue)" }
        if reference.onUpdate != .noAction { text += " ON UPDATE \(reference.onUpdate.rawValue)" }
        if let deferrable = reference.deferrable { text += " \(deferrable)" }
        return text
    }
}
