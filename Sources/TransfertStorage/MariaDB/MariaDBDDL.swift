import Foundation
import TransfertFormats
import TransfertModel

/// Writes neutral schema values as MariaDB DDL (InnoDB, `utf8mb4`, binary collation: text compares byte
/// for byte, as the content digests do).
///
/// | neutral | MariaDB |
/// | --- | --- |
/// | `INTEGER` | `BIGINT` (`AUTO_INCREMENT` for a one-column `INTEGER` primary key, SQLite's rowid alias) |
/// | `REAL` | `DOUBLE` |
/// | `TEXT` | `LONGTEXT`; `VARCHAR(768)` when a key (primary, unique, foreign) uses the column |
/// | `BLOB` | `LONGBLOB`; `VARBINARY(3072)` in a key |
/// | `NUMERIC` | refused: SQLite keeps an integer, a real or a text per value there, which no MariaDB type does |
///
/// The declared type is kept in the column's comment (`transfert:TYPE`), so that reading the schema back
/// gives the type the source declared. What MariaDB cannot create as declared — an index on an
/// expression or with a `WHERE` clause, a trigger (its body is another engine's SQL), a foreign key to an
/// implicit primary key — is refused by name, never dropped.
enum MariaDBDDL {
    /// The longest key MariaDB's InnoDB indexes in full: 3072 bytes, 768 characters of utf8mb4.
    static let keyCharacters = TypedColumnStorage.mariadbKeyCharacters
    /// How a column's comment starts when it carries the declared type.
    static let commentPrefix = "transfert:"
    /// The table, in each establishment database, that keeps the SELECT each view was created with
    /// (MariaDB keeps only its rewriting). Reserved: it is never dumped.
    static let viewTable = "_transfert_views"

    static func createTable(_ table: TableSchema) throws -> String {
        if let mysql = table.mysql { return try MariaDBNativeDDL.createTable(table, mysql) }
        let parts = try self.parts(of: table)
        return create(table, parts.columnsAndChecks + parts.keys)
    }

    /// The table as a bulk load creates it — columns, primary key and CHECKs only — and its unique and
    /// foreign keys as `ALTER TABLE` clauses (``MariaDBDeferredKeys``): InnoDB then appends the rows to
    /// the clustered index alone and builds each secondary index once, sorted, after the data. Nil for a
    /// MySQL table (``TableSchema/mysql``), which is created as MySQL declared it.
    static func createTableDeferringKeys(_ table: TableSchema) throws -> (create: String, keys: [String])? {
        guard table.mysql == nil else { return nil }
        let parts = try self.parts(of: table)
        return (create(table, parts.columnsAndChecks), parts.keys.map { "ADD " + $0 })
    }

    private static func create(_ table: TableSchema, _ parts: [String]) -> String {
        // WITHOUT ROWID and STRICT need nothing: InnoDB tables are clustered on their primary key and typed.
        "CREATE TABLE \(MySQLQuoting.identifier(table.name)) (\n  " + parts.joined(separator: ",\n  ")
            + "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
    }

    /// A neutral table's definition in two halves: the columns, the primary key and the CHECKs; then the
    /// unique and foreign keys (in declaration order, which is how MariaDB numbers unnamed foreign keys).
    private static func parts(of table: TableSchema) throws -> (columnsAndChecks: [String], keys: [String]) {
        let keyed = keyedColumns(table)
        var parts: [String] = []
        var keys: [String] = []
        for column in table.columns {
            parts.append(try self.column(column, in: table, keyed: keyed.contains(column.name.lowercased())))
        }
        if !table.primaryKey.isEmpty {
            parts.append("PRIMARY KEY (\(table.primaryKey.map(MySQLQuoting.identifier).joined(separator: ", ")))")
        }
        for column in table.columns {
            for constraint in column.constraints where constraint.kind == .unique {
                keys.append(
                    "\(constraint.name.map { "CONSTRAINT \(MySQLQuoting.identifier($0)) " } ?? "")UNIQUE KEY (\(MySQLQuoting.identifier(column.name)))"
                )
            }
        }
        for constraint in table.constraints {
            let name = constraint.name.map { "CONSTRAINT \(MySQLQuoting.identifier($0)) " } ?? ""
            switch constraint.kind {
            case .primaryKey: continue
            case .unique:
                keys.append(
                    "\(name)UNIQUE KEY (\(constraint.columns.map(MySQLQuoting.identifier).joined(separator: ", ")))")
            case .check: parts.append("\(name)CHECK (\(constraint.expression ?? ""))")
            case .foreignKey:
                keys.append(name + (try foreignKey(constraint.columns, constraint.reference!, table: table.name)))
            }
        }
        for column in table.columns {
            for constraint in column.constraints {
                let name = constraint.name.map { "CONSTRAINT \(MySQLQuoting.identifier($0)) " } ?? ""
                if constraint.kind == .check { parts.append("\(name)CHECK (\(constraint.expression ?? ""))") }
                if constraint.kind == .references {
                    keys.append(name + (try foreignKey([column.name], constraint.reference!, table: table.name)))
                }
            }
        }
        return (parts, keys)
    }

    /// Columns a key uses: they need a type MariaDB indexes in full.
    static func keyedColumns(_ table: TableSchema) -> Set<String> { TypedColumnStorage.mariadbKeyedColumns(table) }

    static func column(_ column: ColumnSchema, in table: TableSchema, keyed: Bool) throws -> String {
        let object = "column \(column.name) of table \(table.name)"
        // One type per neutral type, the one the restore's value check predicts (TypedColumnStorage).
        guard let storage = TypedColumnStorage(mariadb: column, keyed: keyed) else {
            throw SchemaReadError(
                object: object,
                message:
                    "its declared type \(column.declaredType) has SQLite's NUMERIC affinity, which keeps an integer, a real or a text per value: no MariaDB type does, so the values could not come back the same. Declare it INTEGER, REAL or TEXT"
            )
        }
        var type = storage.declaration
        if storage.kind == .text {
            type += " CHARACTER SET utf8mb4 COLLATE \(try collation(column.collation, object))"
        }
        var text = "\(MySQLQuoting.identifier(column.name)) \(type)"
        let isRowID =
            column.type == .integer && table.primaryKey == [column.name]
            && column.declaredType.uppercased() == "INTEGER"
        if column.notNull || table.primaryKey.contains(column.name) { text += " NOT NULL" }
        if isRowID { text += " AUTO_INCREMENT" }
        if let value = column.defaultValue { text += " DEFAULT \(try defaultValue(value, object))" }
        text +=
            " COMMENT '\(commentPrefix)\(column.declaredType.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''"))'"
        return text
    }

    static func collation(_ name: String?, _ object: String) throws -> String {
        switch name?.uppercased() {
        case nil, "BINARY": return "utf8mb4_bin"
        default:
            throw SchemaReadError(
                object: object,
                message: "collation \(name!) has no exact MariaDB equivalent (only BINARY is carried to MariaDB)")
        }
    }

    static func defaultValue(_ value: String, _ object: String) throws -> String {
        switch value.uppercased() {
        case "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME":
            throw SchemaReadError(
                object: object,
                message: "DEFAULT \(value) is SQLite's text clock, which MariaDB gives only to date columns")
        default:
            return value  // a literal, a signed number or a parenthesised expression: the same in MariaDB
        }
    }

    static func foreignKey(_ columns: [String], _ reference: ForeignKeyReference, table: String) throws -> String {
        guard !reference.columns.isEmpty else {
            throw SchemaReadError(
                object: "table \(table)",
                message:
                    "a foreign key to \(reference.table) names no parent column; MariaDB needs them: write REFERENCES \(reference.table)(column)"
            )
        }
        guard reference.deferrable == nil || reference.deferrable == "NOT DEFERRABLE" else {
            throw SchemaReadError(
                object: "table \(table)",
                message: "a foreign key to \(reference.table) is \(reference.deferrable!), which MariaDB cannot do")
        }
        var text =
            "FOREIGN KEY (\(columns.map(MySQLQuoting.identifier).joined(separator: ", "))) REFERENCES \(MySQLQuoting.identifier(reference.table)) (\(reference.columns.map(MySQLQuoting.identifier).joined(separator: ", ")))"
        if reference.onDelete != .noAction { text += " ON DELETE \(reference.onDelete.rawValue)" }
        if reference.onUpdate != .noAction { text += " ON UPDATE \(reference.onUpdate.rawValue)" }
        return text
    }

    static func createIndex(_ index: IndexSchema, on table: String) throws -> String {
        "CREATE \(index.unique ? "UNIQUE " : "")INDEX \(MySQLQuoting.identifier(index.name)) ON \(MySQLQuoting.identifier(table)) (\(try indexTerms(index, on: table)))"
    }

    /// The `ALTER TABLE` clause that adds `index` (``MariaDBDeferredKeys``).
    static func addIndex(_ index: IndexSchema, on table: String) throws -> String {
        "ADD \(index.unique ? "UNIQUE " : "")INDEX \(MySQLQuoting.identifier(index.name)) (\(try indexTerms(index, on: table)))"
    }

    private static func indexTerms(_ index: IndexSchema, on table: String) throws -> String {
        let object = "index \(index.name) of table \(table)"
        guard index.predicate == nil else {
            throw SchemaReadError(object: object, message: "MariaDB has no partial index (WHERE clause)")
        }
        let terms = try index.terms.map { term -> String in
            guard let column = term.column else {
                throw SchemaReadError(
                    object: object, message: "MariaDB cannot index an expression (\(term.expression ?? ""))")
            }
            guard term.collation == nil else {
                throw SchemaReadError(object: object, message: "MariaDB cannot give an index term its own collation")
            }
            return MySQLQuoting.identifier(column) + (term.descending ? " DESC" : "")
        }
        return terms.joined(separator: ", ")
    }

    static func createView(_ view: ViewSchema) -> String {
        let columns =
            view.columns.isEmpty ? "" : " (\(view.columns.map(MySQLQuoting.identifier).joined(separator: ", ")))"
        // The SELECT is the archive's canonical text (double-quoted names): run with ANSI_QUOTES.
        return "CREATE VIEW \(MySQLQuoting.identifier(view.name))\(columns) AS \(view.select)"
    }
}
