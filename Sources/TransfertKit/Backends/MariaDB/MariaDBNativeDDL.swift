import Foundation

/// Writes a MySQL table (a SACoche dump's, ``TableSchema/mysql``) as MariaDB runs it natively: the
/// declared column types (`mediumint(8) unsigned`, `enum(…)`), collations, `AUTO_INCREMENT`, comments,
/// every key with its MySQL name (`FULLTEXT` included), the engine and the table's charset — so that
/// `SHOW CREATE TABLE` on the new server reads as it did on the old one. The CHECK constraints the
/// neutral schema derives from the types (ranges, enum values) are the types themselves here.
enum MariaDBNativeDDL {
    /// The engines a table may ask for: the ones that keep their rows across a restart.
    static let engines: Set<String> = ["myisam", "innodb", "aria"]

    static func createTable(_ table: TableSchema, _ mysql: MySQLTableDefinition) throws -> String {
        let object = "table \(table.name)"
        guard mysql.columns.count == table.columns.count else {
            throw SchemaReadError(object: object, message: "its MySQL declaration does not list its columns")
        }
        var parts: [String] = []
        for (column, declared) in zip(table.columns, mysql.columns) {
            let type = try MySQLColumnType(parsing: declared.type)
            var text = "\(mariaDBQuote(column.name)) \(type.text)"
            if let collation = declared.collation {
                text += " CHARACTER SET \(collation.split(separator: "_").first.map(String.init) ?? "utf8") COLLATE \(collation)"
            }
            if column.notNull { text += " NOT NULL" }
            if let value = column.defaultValue { text += " DEFAULT \(value)" }
            if declared.onUpdateCurrentTimestamp { text += " ON UPDATE CURRENT_TIMESTAMP" }
            if declared.autoIncrement { text += " AUTO_INCREMENT" }
            if let comment = declared.comment { text += " COMMENT \(literal(comment))" }
            parts.append(text)
        }
        if !table.primaryKey.isEmpty { parts.append("PRIMARY KEY (\(table.primaryKey.map(mariaDBQuote).joined(separator: ", ")))") }
        for index in mysql.ordered(table.indexes, table: table.name) {
            let key = MySQLTableDefinition.keyName(index.name, table: table.name)
            let kind = index.unique ? "UNIQUE KEY" : mysql.fulltextKeys.contains(key) ? "FULLTEXT KEY" : "KEY"
            guard index.predicate == nil, index.terms.allSatisfy({ $0.column != nil && $0.collation == nil }) else {
                throw SchemaReadError(object: "index \(index.name) of \(object)", message: "a MySQL key is on plain columns only")
            }
            parts.append("\(kind) \(mariaDBQuote(key)) (\(index.columns.map(mariaDBQuote).joined(separator: ", ")))")
        }
        let engine = mysql.engine ?? "InnoDB"
        guard engines.contains(engine.lowercased()) else {
            throw SchemaReadError(object: object, message: "ENGINE=\(engine) is not one that keeps rows across a restart (\(engines.sorted().joined(separator: ", ")))")
        }
        var options = "ENGINE=\(engine)"
        if let counter = mysql.autoIncrement, counter > 1 { options += " AUTO_INCREMENT=\(counter)" }
        options += " DEFAULT CHARSET=\(mysql.charset ?? "utf8mb4")"
        if let collation = mysql.collation { options += " COLLATE=\(collation)" }
        if let comment = mysql.comment { options += " COMMENT=\(literal(comment))" }
        return "CREATE TABLE \(mariaDBQuote(table.name)) (\n  " + parts.joined(separator: ",\n  ") + "\n) " + options
    }

    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }
}
