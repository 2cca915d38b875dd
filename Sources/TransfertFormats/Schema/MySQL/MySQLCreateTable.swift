import Foundation
import TransfertModel

/// Writes a MySQL table (``TableSchema/mysql``) as a `CREATE TABLE` statement, without its final `;`:
/// the declared column types, collations, defaults, `AUTO_INCREMENT`, comments, every key with its MySQL
/// name (`FULLTEXT` included) in declaration order, then the table options. Inner lines end in LF, as
/// MySQL prints them.
///
/// The one walk over columns, keys and options for every reader of MySQL text: SACoche's dumps
/// (SACoche/) and the DDL MariaDB runs (Backends/). What differs between them is a ``Style``.
public enum MySQLCreateTable {
    /// `autoIncrement` is the table's counter (`AUTO_INCREMENT=n`, written when above 1).
    public static func render(
        _ table: TableSchema, _ mysql: MySQLTableDefinition, autoIncrement: Int64?,
        style: Style
    ) throws -> String {
        guard mysql.columns.count == table.columns.count else {
            throw MySQLCreateTableError.columnsNotDeclared(table: table.name)
        }
        let name = style.identifier
        var parts: [String] = []
        for (column, declared) in zip(table.columns, mysql.columns) {
            let type = try MySQLColumnType(parsing: declared.type)
            var text = "\(name(column.name)) \(type.text)"
            if let collation = declared.collation, let clause = style.columnCollation.clause(collation) {
                text += " " + clause
            }
            if column.notNull { text += " NOT NULL" }
            if let value = column.defaultValue {
                text += " DEFAULT " + style.defaults.text(value, quoting: style.literal)
            } else if style.defaults == .asShown && !column.notNull && !type.isLargeObject {
                text += " DEFAULT NULL"
            }
            if declared.onUpdateCurrentTimestamp { text += " ON UPDATE CURRENT_TIMESTAMP" }
            if declared.autoIncrement { text += " AUTO_INCREMENT" }
            if let comment = declared.comment { text += " COMMENT " + style.literal(comment) }
            parts.append(text)
        }
        let separator = style.keyColumnSeparator
        if !table.primaryKey.isEmpty {
            parts.append("PRIMARY KEY (\(table.primaryKey.map(name).joined(separator: separator)))")
        }
        for index in mysql.ordered(table.indexes, table: table.name) {
            let key = MySQLTableDefinition.keyName(index.name, table: table.name)
            let kind = index.unique ? "UNIQUE KEY" : mysql.fulltextKeys.contains(key) ? "FULLTEXT KEY" : "KEY"
            // A MySQL key names columns; what else an index may say (an expression, a collation, a WHERE)
            // has no place in it, and would be lost.
            guard isOnPlainColumns(index) else {
                throw MySQLCreateTableError.keyNotOnPlainColumns(table: table.name, index: index.name)
            }
            parts.append("\(kind) \(name(key)) (\(index.columns.map(name).joined(separator: separator)))")
        }
        let engine = mysql.engine ?? style.defaultEngine
        if let allowed = style.allowedEngines, !allowed.contains(engine.lowercased()) {
            throw MySQLCreateTableError.engineNotAllowed(table: table.name, engine: engine, allowed: allowed.sorted())
        }
        var options = "ENGINE=\(engine)"
        if let counter = autoIncrement, counter > 1 { options += " AUTO_INCREMENT=\(counter)" }
        options += " DEFAULT CHARSET=\(mysql.charset ?? style.defaultCharset)"
        if let collation = mysql.collation { options += " COLLATE=\(collation)" }
        if let comment = mysql.comment { options += " COMMENT=" + style.literal(comment) }
        return "CREATE TABLE \(name(table.name)) (\n  " + parts.joined(separator: ",\n  ") + "\n) " + options
    }

    /// Whether a MySQL key can say all of `index`: plain columns, no expression, collation or `WHERE`.
    public static func isOnPlainColumns(_ index: IndexSchema) -> Bool {
        index.predicate == nil && index.terms.allSatisfy { $0.column != nil && $0.collation == nil }
    }
}
