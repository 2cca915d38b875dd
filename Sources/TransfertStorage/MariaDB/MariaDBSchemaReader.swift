import Foundation
import TransfertFormats
import TransfertModel

/// Reads an establishment database's schema back from MariaDB's `information_schema` into neutral
/// values, in one canonical form: one-column keys, foreign keys and UNIQUE constraints on their column,
/// the others after the columns, CHECK constraints after the columns, names MariaDB generated left out.
/// A database created by ``MariaDBDDL`` from a schema reads back as that schema in this form, so two
/// databases compare equal exactly when they declare the same things.
struct MariaDBSchemaReader {
    let connection: MariaDBConnection
    let database: String

    func schema() throws -> DatabaseSchema {
        let db = connection.literal(database)
        let tableNames = try connection.query(
            """
            SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(db) AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME
            """
        ).compactMap { $0[0] }
        let columns = try connection.query(
            """
            SELECT TABLE_NAME, COLUMN_NAME, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_COMMENT, DATA_TYPE FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = \(db) ORDER BY TABLE_NAME, ORDINAL_POSITION
            """)
        let keys = try connection.query(
            """
            SELECT c.TABLE_NAME, c.CONSTRAINT_NAME, c.CONSTRAINT_TYPE, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME,
                   r.UPDATE_RULE, r.DELETE_RULE
            FROM information_schema.TABLE_CONSTRAINTS c
            JOIN information_schema.KEY_COLUMN_USAGE k
              ON k.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME AND k.CONSTRAINT_NAME = c.CONSTRAINT_NAME
            LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS r
              ON r.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA AND r.TABLE_NAME = c.TABLE_NAME AND r.CONSTRAINT_NAME = c.CONSTRAINT_NAME
            WHERE c.CONSTRAINT_SCHEMA = \(db) AND c.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
            ORDER BY c.TABLE_NAME, c.CONSTRAINT_TYPE, c.CONSTRAINT_NAME, k.ORDINAL_POSITION
            """)
        let checks = try connection.query(
            """
            SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
            WHERE CONSTRAINT_SCHEMA = \(db) ORDER BY TABLE_NAME, CONSTRAINT_NAME
            """)
        let statistics = try connection.query(
            """
            SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, COLLATION FROM information_schema.STATISTICS
            WHERE TABLE_SCHEMA = \(db) ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX
            """)
        let views = try connection.query(
            """
            SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = \(db) ORDER BY TABLE_NAME
            """)
        // MariaDB stores a view's SELECT rewritten (qualified names, its own functions); the text it was
        // created with is kept beside it (see ``MariaDBDDL/viewTable``).
        let declaredViews =
            tableNames.contains(MariaDBDDL.viewTable)
            ? try connection.query(
                "SELECT name, columns, select_text FROM \(MySQLQuoting.identifier(MariaDBDDL.viewTable))") : []

        var schema = DatabaseSchema()
        for name in tableNames where name != MariaDBDDL.viewTable {
            let tableColumns = columns.filter { $0[0] == name }
            if !tableColumns.isEmpty,
                !tableColumns.contains(where: { ($0[4] ?? "").hasPrefix(MariaDBDDL.commentPrefix) })
            {
                // A MySQL table (a SACoche base's): MariaDB's own declaration says everything.
                schema.tables.append(try nativeTable(name))
                continue
            }
            var table = TableSchema(name: name, columns: [])
            for row in columns where row[0] == name {
                let comment = row[4] ?? ""
                let declared =
                    comment.hasPrefix(MariaDBDDL.commentPrefix)
                    ? String(comment.dropFirst(MariaDBDDL.commentPrefix.count)) : (row[5] ?? "").uppercased()
                var column = ColumnSchema(name: row[1]!, declaredType: declared)
                if row[2] == "NO" { column.constraints.append(ColumnConstraint(.notNull)) }
                if let value = row[3], value != "NULL" {
                    column.constraints.append(ColumnConstraint(.defaultValue, expression: try canonical(value)))
                }
                table.columns.append(column)
            }
            // Keys: grouped by constraint name.
            var groups: [(name: String, type: String, rows: [[String?]])] = []
            for row in keys where row[0] == name {
                if let last = groups.last, last.name == row[1]!, last.type == row[2]! {
                    groups[groups.count - 1].rows.append(row)
                } else {
                    groups.append((row[1]!, row[2]!, [row]))
                }
            }
            var foreignKeyNames = Set<String>()
            var uniqueNames = Set<String>()
            for group in groups {
                let keyColumns = group.rows.compactMap { $0[3] }
                switch group.type {
                case "PRIMARY KEY":
                    if keyColumns.count == 1, let index = table.columns.firstIndex(where: { $0.name == keyColumns[0] })
                    {
                        table.columns[index].constraints.removeAll { $0.kind == .notNull }
                        table.columns[index].constraints.insert(ColumnConstraint(.primaryKey), at: 0)
                    } else {
                        table.constraints.append(TableConstraint(.primaryKey, columns: keyColumns))
                    }
                case "UNIQUE":
                    uniqueNames.insert(group.name)
                    if keyColumns.count == 1, let index = table.columns.firstIndex(where: { $0.name == keyColumns[0] })
                    {
                        table.columns[index].constraints.append(ColumnConstraint(.unique))
                    } else {
                        table.constraints.append(TableConstraint(.unique, columns: keyColumns))
                    }
                default:  // FOREIGN KEY
                    foreignKeyNames.insert(group.name)
                    let first = group.rows[0]
                    let reference = ForeignKeyReference(
                        table: first[4] ?? "", columns: group.rows.compactMap { $0[5] },
                        onDelete: Self.action(first[7]), onUpdate: Self.action(first[6]))
                    if keyColumns.count == 1, let index = table.columns.firstIndex(where: { $0.name == keyColumns[0] })
                    {
                        table.columns[index].constraints.append(ColumnConstraint(.references, reference: reference))
                    } else {
                        table.constraints.append(
                            TableConstraint(.foreignKey, columns: keyColumns, reference: reference))
                    }
                }
            }
            for row in checks where row[0] == name {
                let generated = row[1]!.hasPrefix("CONSTRAINT_")
                table.constraints.append(
                    TableConstraint(.check, name: generated ? nil : row[1], expression: try canonical(row[2] ?? "")))
            }
            // Indexes that are not a key's own (MariaDB indexes primary, unique and foreign keys itself).
            var indexes: [String: IndexSchema] = [:]
            var order: [String] = []
            for row in statistics where row[0] == name {
                let indexName = row[1]!
                guard indexName != "PRIMARY", !uniqueNames.contains(indexName), !foreignKeyNames.contains(indexName)
                else { continue }
                if indexes[indexName] == nil {
                    indexes[indexName] = IndexSchema(name: indexName, unique: row[2] == "0", terms: [])
                    order.append(indexName)
                }
                indexes[indexName]!.terms.append(IndexTerm(column: row[3] ?? "", descending: row[4] == "D"))
            }
            // InnoDB indexes a foreign key's columns itself when no index does, naming it after the
            // constraint or the first column: that index is the key's, not the schema's.
            let keyColumns = table.foreignKeys.map { $0.columns.map { $0.lowercased() } }
            table.indexes = order.map { indexes[$0]! }.filter { index in
                let columns = index.columns.map { $0.lowercased() }
                let automatic =
                    !index.unique && keyColumns.contains(columns)
                    && (index.name.lowercased() == columns.first || foreignKeyNames.contains(index.name))
                return !automatic
            }
            schema.tables.append(table)
        }
        for row in views {
            if let declared = declaredViews.first(where: { $0[0] == row[0] }) {
                let columns = (declared[1] ?? "").split(separator: "\u{1F}").map(String.init)
                schema.views.append(ViewSchema(name: row[0]!, columns: columns, select: declared[2] ?? ""))
            } else {
                schema.views.append(ViewSchema(name: row[0]!, select: try canonical(row[1] ?? "")))
            }
        }
        return schema
    }

    /// A table created natively from a MySQL declaration (``MariaDBNativeDDL``), read back from
    /// `SHOW CREATE TABLE` by the same parser that reads SACoche's dumps.
    private func nativeTable(_ name: String) throws -> TableSchema {
        let rows = try connection.query(
            "SHOW CREATE TABLE \(MySQLQuoting.identifier(database)).\(MySQLQuoting.identifier(name))")
        guard let text = rows.first?[1] else {
            throw SchemaReadError(object: "table \(name)", message: "SHOW CREATE TABLE returned nothing")
        }
        do {
            return try MySQLCreateTableParser.parse(
                Array(text.utf8), entry: "SHOW CREATE TABLE \(name)", ansiQuotes: text.hasPrefix("CREATE TABLE \""))
        } catch {
            throw SchemaReadError(object: "table \(name)", message: "its MariaDB declaration cannot be read: \(error)")
        }
    }

    /// MariaDB's text of an expression (backquoted names, its own spacing) in canonical SQL text.
    private func canonical(_ text: String) throws -> String {
        let tokens = try SQLTokenizer.tokens(of: Array(text.utf8))
        return SQLExpressionText.render(tokens[...])
    }

    /// MariaDB reports its default, RESTRICT, for a key declared without an action; it means NO ACTION.
    private static func action(_ rule: String?) -> ForeignKeyAction {
        let action = ForeignKeyAction(rawValue: rule ?? "") ?? .noAction
        return action == .restrict ? .noAction : action
    }
}
