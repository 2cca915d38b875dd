import Foundation
import TransfertFormats
import TransfertModel

/// Reads an establishment database's schema back from PostgreSQL's catalogs into neutral values: which
/// tables, columns, keys, CHECKs, indexes and views exist, NOT NULL and the foreign keys' actions come from
/// the catalogs; what PostgreSQL keeps only rewritten — declared types, expressions as declared, whether a
/// constraint was named, SQLite's table options, a SACoche table's MySQL declaration — from the comments
/// ``PostgreSQLDDL`` wrote (``PostgreSQLNote``). A database created from a schema reads back as that schema;
/// an object made by hand without such a comment is read from the catalog as well as it can be, and what
/// the archive format cannot carry (a trigger, an exclusion constraint, an object outside the `public`
/// schema, a column of a type with no neutral equivalent) is refused by name.
struct PostgreSQLSchemaReader {
    let connection: PostgreSQLConnection

    /// The catalog condition for the establishment's own relations.
    private static let inPublic = "c.relnamespace = 'public'::regnamespace"

    func tableNames() throws -> [String] {
        try connection.query(
            "SELECT c.relname FROM pg_class c WHERE \(Self.inPublic) AND c.relkind = 'r' ORDER BY c.relname COLLATE \"C\""
        ).compactMap(\.first?.textValue)
    }

    func columnNames(of table: String) throws -> [String] {
        try connection.query(
            """
            SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE \(Self.inPublic) AND c.relname = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """, [.text(table)]
        ).compactMap(\.first?.textValue)
    }

    /// The primary key's columns of `table`, in key order; empty when it has none.
    func primaryKey(of table: String) throws -> [String] {
        try connection.query(
            """
            SELECT a.attname FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
            CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
            WHERE \(Self.inPublic) AND c.relname = $1 AND con.contype = 'p' ORDER BY k.ord
            """, [.text(table)]
        ).compactMap(\.first?.textValue)
    }

    func schema() throws -> DatabaseSchema {
        try refuseWhatCannotTravel()
        let relations = try connection.query(
            """
            SELECT c.relname, c.relkind::text, obj_description(c.oid, 'pg_class'), CASE WHEN c.relkind = 'v' THEN pg_get_viewdef(c.oid) END
            FROM pg_class c WHERE \(Self.inPublic) AND c.relkind IN ('r', 'v', 'm', 'p', 'f') ORDER BY c.relname COLLATE "C"
            """)
        let columns = try connection.query(
            """
            SELECT c.relname, a.attname, a.attnotnull, format_type(a.atttypid, a.atttypmod),
                   col_description(c.oid, a.attnum), pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text
            FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
            WHERE \(Self.inPublic) AND c.relkind = 'r' ORDER BY c.relname, a.attnum
            """)
        let constraints = try connection.query(
            """
            SELECT c.relname, con.conname, con.contype::text, obj_description(con.oid, 'pg_constraint'),
                   a.attname, pc.relname, pa.attname, con.confupdtype::text, con.confdeltype::text,
                   con.condeferrable, con.condeferred, pg_get_expr(con.conbin, con.conrelid)
            FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
            LEFT JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) ON true
            LEFT JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
            LEFT JOIN pg_class pc ON pc.oid = con.confrelid
            LEFT JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = con.confkey[k.ord::int]
            WHERE \(Self.inPublic) AND con.contype IN ('p', 'u', 'f', 'c', 'x')
            ORDER BY c.relname, con.conname, k.ord
            """)
        let indexes = try connection.query(
            """
            SELECT t.relname, c.relname, ix.indisunique, obj_description(c.oid, 'pg_class'),
                   ix.indexprs IS NOT NULL OR ix.indpred IS NOT NULL, a.attname,
                   pg_index_column_has_property(c.oid, k.ord::int, 'desc')
            FROM pg_index ix JOIN pg_class c ON c.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
            CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
            LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            WHERE \(Self.inPublic) AND NOT EXISTS (
                SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid
                AND con.contype IN ('p', 'u', 'x'))
            ORDER BY t.relname, c.relname COLLATE "C", k.ord
            """)

        var schema = DatabaseSchema()
        for relation in relations {
            let name = relation[0].textValue ?? ""
            switch relation[1].textValue {
            case "r":
                schema.tables.append(
                    try table(
                        name, comment: relation[2].textValue, columns: columns.filter { $0[0].textValue == name },
                        constraints: constraints.filter { $0[0].textValue == name },
                        indexes: indexes.filter { $0[0].textValue == name }))
            case "v":
                if let note = PostgreSQLNote(comment: relation[2].textValue), let select = note.select {
                    schema.views.append(ViewSchema(name: name, columns: note.viewColumns ?? [], select: select))
                } else {
                    var text = relation[3].textValue ?? ""
                    text = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    if text.hasSuffix(";") { text.removeLast() }
                    schema.views.append(ViewSchema(name: name, select: try canonical(text, object: "view \(name)")))
                }
            default:
                let kind =
                    ["m": "a materialized view", "p": "a partitioned table", "f": "a foreign table"][
                        relation[1].textValue ?? ""] ?? "a relation"
                throw SchemaReadError(
                    object: "relation \(name)", message: "it is \(kind), which the archive format has no form for")
            }
        }
        return schema
    }

    /// Triggers (PL/pgSQL: the archive's triggers are SQLite's) and relations outside `public`.
    private func refuseWhatCannotTravel() throws {
        if let trigger = try connection.query(
            """
            SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND \(Self.inPublic) ORDER BY 1 LIMIT 1
            """
        ).first {
            throw SchemaReadError(
                object: "trigger \(trigger[0].textValue ?? "?") of table \(trigger[1].textValue ?? "?")",
                message:
                    "a PostgreSQL trigger runs a PL/pgSQL function, and the archive format carries SQLite's triggers only"
            )
        }
        if let outside = try connection.query(
            """
            SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('public', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
            AND c.relkind IN ('r', 'v', 'm', 'p', 'f') ORDER BY 1, 2 LIMIT 1
            """
        ).first {
            throw SchemaReadError(
                object: "relation \(outside[0].textValue ?? "?").\(outside[1].textValue ?? "?")",
                message: "it is outside the schema public, and an establishment's database travels as one schema")
        }
    }

    private func table(
        _ name: String, comment: String?, columns rows: [[SQLValue]], constraints: [[SQLValue]],
        indexes indexRows: [[SQLValue]]
    ) throws -> TableSchema {
        let tableNote = PostgreSQLNote(comment: comment) ?? PostgreSQLNote()
        var table = TableSchema(
            name: name, columns: [], withoutRowID: tableNote.withoutRowID ?? false, strict: tableNote.strict ?? false)
        table.mysql = tableNote.mysql
        // What each key column declared of NOT NULL, when its comment says (PostgreSQLNote.notNull).
        var declaredNotNull: [String: Bool] = [:]
        for row in rows {
            let columnName = row[1].textValue ?? ""
            let object = "column \(columnName) of table \(name)"
            if let generated = row[7].textValue, !generated.isEmpty {
                throw SchemaReadError(
                    object: object, message: "it is a generated column, which the archive format refuses")
            }
            let declared = PostgreSQLNote.column(comment: row[4].textValue)
            let note = declared?.note ?? PostgreSQLNote()
            declaredNotNull[columnName] = note.notNull
            var column = ColumnSchema(
                name: columnName,
                declaredType: try declared?.declaredType ?? neutralType(row[3].textValue ?? "", object))
            if row[2].integerValue == 1 { column.constraints.append(ColumnConstraint(.notNull)) }
            let isIdentity = !(row[6].textValue ?? "").isEmpty
            if let value = note.defaultValue, row[5] != .null || isIdentity {
                column.constraints.append(ColumnConstraint(.defaultValue, expression: value))
            } else if let value = row[5].textValue {
                column.constraints.append(
                    ColumnConstraint(.defaultValue, expression: try canonical(value, object: object)))
            }
            if let collation = note.collation {
                column.constraints.append(ColumnConstraint(.collate, expression: collation))
            }
            table.columns.append(column)
        }
        // Constraints, one group of rows (one per column) each.
        var groups: [[[SQLValue]]] = []
        for row in constraints {
            if let last = groups.last?.first, last[1] == row[1] {
                groups[groups.count - 1].append(row)
            } else {
                groups.append([row])
            }
        }
        for group in groups {
            let first = group[0]
            let catalogName = first[1].textValue ?? ""
            let note = PostgreSQLNote(comment: first[3].textValue) ?? PostgreSQLNote()
            let declaredName = note.unnamed == true ? nil : catalogName
            let keyColumns = group.compactMap { $0[4].textValue }
            let single = keyColumns.count == 1 ? table.columns.firstIndex { $0.name == keyColumns[0] } : nil
            switch first[2].textValue {
            case "p":
                // PostgreSQL made the key's columns NOT NULL; what was declared is in their comments (a single
                // column's key without one reads as not declared, as before the comments said it).
                for index in table.columns.indices where keyColumns.contains(table.columns[index].name) {
                    let name = table.columns[index].name
                    if declaredNotNull[name] == false || (declaredNotNull[name] == nil && single != nil) {
                        table.columns[index].constraints.removeAll { $0.kind == .notNull }
                    }
                }
                if let single {
                    table.columns[single].constraints.insert(
                        ColumnConstraint(
                            .primaryKey, name: declaredName, descending: note.descending,
                            autoincrement: note.autoincrement), at: 0)
                } else {
                    table.constraints.append(TableConstraint(.primaryKey, name: declaredName, columns: keyColumns))
                }
            case "u":
                if let single {
                    table.columns[single].constraints.append(ColumnConstraint(.unique, name: declaredName))
                } else {
                    table.constraints.append(TableConstraint(.unique, name: declaredName, columns: keyColumns))
                }
            case "f":
                let reference = ForeignKeyReference(
                    table: first[5].textValue ?? "",
                    columns: note.implicitParentColumns == true ? [] : group.compactMap { $0[6].textValue },
                    onDelete: Self.action(first[8].textValue), onUpdate: Self.action(first[7].textValue),
                    deferrable: note.deferrable
                        ?? (first[9].integerValue == 1
                            ? (first[10].integerValue == 1 ? "DEFERRABLE INITIALLY DEFERRED" : "DEFERRABLE") : nil))
                if let single {
                    table.columns[single].constraints.append(
                        ColumnConstraint(.references, name: declaredName, reference: reference))
                } else {
                    table.constraints.append(
                        TableConstraint(.foreignKey, name: declaredName, columns: keyColumns, reference: reference))
                }
            case "c":
                let expression =
                    try note.expression
                    ?? canonical(first[11].textValue ?? "", object: "constraint \(catalogName) of table \(name)")
                table.constraints.append(TableConstraint(.check, name: declaredName, expression: expression))
            default:
                throw SchemaReadError(
                    object: "constraint \(catalogName) of table \(name)",
                    message: "it is an exclusion constraint, which the archive format has no form for")
            }
        }
        // Indexes that are not a key's own.
        var order: [String] = []
        var found: [String: IndexSchema] = [:]
        for row in indexRows {
            let indexName = row[1].textValue ?? ""
            if found[indexName] == nil {
                order.append(indexName)
                if var declared = PostgreSQLNote(comment: row[3].textValue)?.index {
                    declared.name = indexName
                    found[indexName] = declared
                    continue
                }
                guard row[4].integerValue != 1 else {
                    throw SchemaReadError(
                        object: "index \(indexName) of table \(name)",
                        message:
                            "it indexes an expression or has a WHERE clause, and was not created by Transfert: its PostgreSQL text cannot be carried as the archive's SQL"
                    )
                }
                found[indexName] = IndexSchema(name: indexName, unique: row[2].integerValue == 1, terms: [])
            } else if PostgreSQLNote(comment: row[3].textValue)?.index != nil {
                continue
            }
            found[indexName]?.terms.append(
                IndexTerm(column: row[5].textValue ?? "", descending: row[6].integerValue == 1))
        }
        // FULLTEXT keys are declared in the table's comment, not built (PostgreSQLNote.fulltextIndexes).
        let indexes = order.compactMap { found[$0] } + (tableNote.fulltextIndexes ?? [])
        table.indexes = table.mysql?.ordered(indexes, table: name) ?? indexes
        return table
    }

    /// The declared type of a column made without Transfert's comment: PostgreSQL's name for it, when its
    /// neutral type is the one its values have here.
    private func neutralType(_ type: String, _ object: String) throws -> String {
        let upper = type.uppercased()
        if upper == "BYTEA" { return "BLOB" }
        let kept = ["BIGINT", "INTEGER", "SMALLINT", "DOUBLE PRECISION", "REAL", "TEXT"]
        if kept.contains(upper) || upper.hasPrefix("CHARACTER VARYING") || upper.hasPrefix("CHARACTER(") {
            return upper
        }
        throw SchemaReadError(
            object: object,
            message:
                "its PostgreSQL type \(type) has no neutral equivalent (integer types, double precision, real, text, varchar, char and bytea have)"
        )
    }

    /// PostgreSQL's text of an expression made without Transfert, in canonical SQL text.
    private func canonical(_ text: String, object: String) throws -> String {
        do {
            return SQLExpressionText.render(try SQLTokenizer.tokens(of: Array(text.utf8))[...])
        } catch {
            throw SchemaReadError(
                object: object, message: "its PostgreSQL expression \(text) cannot be read as the archive's SQL")
        }
    }

    /// `pg_constraint`'s one-letter actions.
    private static func action(_ code: String?) -> ForeignKeyAction {
        switch code {
        case "r": return .restrict
        case "c": return .cascade
        case "n": return .setNull
        case "d": return .setDefault
        default: return .noAction
        }
    }
}
