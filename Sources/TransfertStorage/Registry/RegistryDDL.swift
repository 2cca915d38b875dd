import TransfertFormats
import TransfertModel

/// Writes the registry's schema changes in a dialect's SQL: the one place that turns a
/// ``RegistrySchemaChange`` into statements, asking the ``SQLDialect`` only for what engines spell
/// differently.
package enum RegistryDDL {
    package static func statements(for change: RegistrySchemaChange, in dialect: any SQLDialect) -> [(
        sql: String, values: [SQLValue]
    )] {
        switch change {
        case .createTable(let table):
            return createTable(table, ifNotExists: false, in: dialect).map { ($0, []) }
        case .addColumn(let table, let column):
            return [
                (
                    "ALTER TABLE \(dialect.quote(table)) ADD COLUMN \(definition(of: column, primaryKey: false, in: dialect))",
                    []
                )
            ]
        case .createIndex(let table, let index):
            return [(createIndex(index, table: table, in: dialect), [])]
        case .renameColumn(let table, let from, let to):
            return [
                ("ALTER TABLE \(dialect.quote(table)) RENAME COLUMN \(dialect.quote(from)) TO \(dialect.quote(to))", [])
            ]
        case .statement(let make):
            return [make(dialect)]
        }
    }

    package static func createTable(_ table: RegistryTable, ifNotExists: Bool, in dialect: any SQLDialect) -> [String] {
        let names = { (columns: [String]) in columns.map(dialect.quote).joined(separator: ", ") }
        var parts: [String] = []
        for column in table.columns {
            if column.name == table.autoIncrementID {
                parts.append("\(dialect.quote(column.name)) \(dialect.autoIncrementPrimaryKey)")
            } else {
                parts.append(definition(of: column, primaryKey: table.primaryKey == [column.name], in: dialect))
            }
        }
        var after: [String] = []
        for key in table.uniqueKeysWithNullAsValue {
            let nullable = Set(table.columns.filter { $0.nullable && key.columns.contains($0.name) }.map(\.name))
            let pieces = dialect.uniqueKeyWithNullAsValue(key, nullable: nullable, table: table.name)
            parts += pieces.columns
            after += pieces.statementsAfter
            parts += pieces.constraints
        }
        if table.primaryKey.count > 1 { parts.append("PRIMARY KEY (\(names(table.primaryKey)))") }
        for key in table.foreignKeys {
            parts.append(
                "FOREIGN KEY (\(dialect.quote(key.column))) REFERENCES \(dialect.quote(key.parent))(\(dialect.quote(key.parentColumn)))"
                    + (key.cascadeOnDelete ? " ON DELETE CASCADE" : ""))
        }
        for index in table.indexes {
            if dialect.declaresIndexesInTable {
                parts.append("INDEX \(dialect.quote(index.name)) (\(names(index.columns)))")
            } else {
                after.append(createIndex(index, table: table.name, in: dialect))
            }
        }
        let create =
            "CREATE TABLE \(ifNotExists ? "IF NOT EXISTS " : "")\(dialect.quote(table.name)) ("
            + parts.joined(separator: ", ") + ")"
            + dialect.tableOptions
        return [create] + after
    }

    static func createIndex(_ index: RegistryIndex, table: String, in dialect: any SQLDialect) -> String {
        "CREATE INDEX \(dialect.quote(index.name)) ON \(dialect.quote(table)) (\(index.columns.map(dialect.quote).joined(separator: ", ")))"
    }

    static func definition(of column: RegistryColumn, primaryKey: Bool, in dialect: any SQLDialect) -> String {
        var text = "\(dialect.quote(column.name)) \(dialect.columnType(column.type))"
        if !column.nullable { text += " NOT NULL" }
        if primaryKey { text += " PRIMARY KEY" }
        if column.unique { text += " UNIQUE" }
        switch column.defaultValue {
        case .text(let value)?: text += " DEFAULT '\(value.replacingOccurrences(of: "'", with: "''"))'"
        case .integer(let value)?: text += " DEFAULT \(value)"
        case nil: break
        }
        return text
    }
}
