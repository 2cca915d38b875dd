import Foundation
import TransfertFormats
import TransfertModel

/// Write access to one establishment database on PostgreSQL, inside one transaction (or a load).
///
/// Rows go in by `COPY … FROM STDIN`, one COPY kept open per table for as long as its rows keep coming
/// (``PostgreSQLRowInserter``); any other statement ends it first, so rows reach the server in the order
/// they were given. Unique and foreign keys wait for every table (and, in a load, every row):
/// ``PostgreSQLDeferredConstraint``.
final class PostgreSQLEstablishmentWriter: EstablishmentWriter {
    let connection: PostgreSQLConnection
    /// A restore: foreign keys are added `NOT VALID`, and proved by ``foreignKeyViolations(limit:)``.
    let loading: Bool
    /// Keys of the tables created so far, not added yet.
    private var pending: [PostgreSQLDeferredConstraint] = []
    /// Foreign keys added `NOT VALID`, validated once the check finds no orphan.
    private var unvalidated: [PostgreSQLDeferredConstraint] = []
    /// The COPY open now, and the inserter it belongs to.
    private var open: (owner: ObjectIdentifier, copy: PostgreSQLCopyIn)?
    /// Tables rows were given to: their identity sequences follow the ids loaded (``finish()``).
    private var filled: Set<String> = []
    /// Tables created here that declare FULLTEXT keys: those keys' names, and the table's comment, which
    /// records each of them when it is given instead of building it.
    private var fulltextTables: [String: (keys: Set<String>, note: PostgreSQLNote)] = [:]

    init(connection: PostgreSQLConnection, loading: Bool) {
        self.connection = connection
        self.loading = loading
    }

    // MARK: COPY

    /// The COPY `inserter`'s rows go to, opened on its first rows (ending any other one first).
    func copy(for inserter: PostgreSQLRowInserter) throws -> PostgreSQLCopyIn {
        if let open, open.owner == ObjectIdentifier(inserter) { return open.copy }
        try endCopy()
        let copy = try connection.copyIn(table: inserter.table, columns: inserter.columns)
        open = (ObjectIdentifier(inserter), copy)
        filled.insert(inserter.table)
        return copy
    }

    /// Ends the open COPY: every row sent is stored, or this throws (a key, a CHECK, a type).
    func endCopy() throws {
        guard let open else { return }
        self.open = nil
        _ = try open.copy.finish()
    }

    /// Gives up the open COPY (the transaction failed): the connection is free for ROLLBACK.
    func abandon() {
        open?.copy.abandon()
        open = nil
    }

    // MARK: Statements

    func execute(_ sql: String) throws {
        try endCopy()
        try connection.simpleQuery(sql)
    }

    func run(_ sql: String, _ values: [SQLValue]) throws -> Int64 {
        try endCopy()
        return try connection.execute(PostgreSQLPlaceholders.numbered(sql), values)
    }

    func rows(_ sql: String, _ values: [SQLValue]) throws -> [[SQLValue]] {
        try endCopy()
        return try connection.query(PostgreSQLPlaceholders.numbered(sql), values)
    }

    /// Runs DDL written from the schema; a refusal of the server names the object it was creating.
    private func create(_ statements: [String], object: String) throws {
        for statement in statements {
            do {
                try connection.execute(statement)
            } catch let error as PostgreSQLError where !error.isConnectionLost && !error.isMissingPrivilege {
                throw SchemaReadError(
                    object: object, message: "PostgreSQL cannot create it as declared: \(error.message)")
            }
        }
    }

    func createTable(_ table: TableSchema) throws {
        try endCopy()
        let statements = try PostgreSQLDDL.table(table, primaryKeyLater: loading)
        try create([statements.create] + statements.comments, object: "table \(table.name)")
        pending += statements.deferred
        let fulltext = PostgreSQLDDL.fulltextIndexNames(table)
        if !fulltext.isEmpty { fulltextTables[table.name] = (fulltext, PostgreSQLDDL.tableNote(table)) }
    }

    /// Memory each index build of this transaction may sort in (`SET LOCAL`: the session's other work and
    /// the server's setting are untouched). A load builds every index and key after its rows; with the
    /// default 64 MB, shared by the build's parallel workers, a million-row table's sort spills to disk
    /// (measured: two indexes and a primary key of 1,000,000 rows, 0.92–1.01 s → 0.77–0.78 s).
    /// PostgreSQL takes the memory only while an index is built, and only what the sort needs; a server
    /// set higher keeps its own value.
    static let indexBuildMemoryKiB = 256 * 1024

    func raiseIndexBuildMemory() throws {
        try connection.execute(
            """
            SELECT set_config('maintenance_work_mem', '\(Self.indexBuildMemoryKiB)kB', true) FROM pg_settings
            WHERE name = 'maintenance_work_mem' AND setting::bigint < \(Self.indexBuildMemoryKiB)
            """)
    }

    /// Takes off the foreign keys a database already has, to add them back `NOT VALID` with the keys held
    /// back (``finishLoad()``) and prove them by the anti-joins: a load into a database that is not new
    /// (a restore keeping the establishment's settings deletes a table's rows while other tables still
    /// point at them) must not enforce them row by row, as the load's contract says. PostgreSQL cannot
    /// defer a key declared `NOT DEFERRABLE`, and switching triggers off needs a superuser; its DDL is
    /// transactional, so a failed load leaves every key as it was.
    func holdBackExistingForeignKeys() throws {
        let keys = try connection.query(
            """
            SELECT cl.relname, co.conname, pg_get_constraintdef(co.oid), obj_description(co.oid, 'pg_constraint')
            FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid
            JOIN pg_namespace n ON n.oid = cl.relnamespace
            WHERE co.contype = 'f' AND n.nspname = current_schema() ORDER BY cl.relname, co.conname
            """)
        for key in keys {
            guard case .text(let table) = key[0], case .text(let name) = key[1], case .text(var clause) = key[2] else {
                continue
            }
            if clause.hasSuffix(" NOT VALID") { clause.removeLast(" NOT VALID".count) }
            var comment: String?
            if case .text(let text) = key[3] {
                comment =
                    "COMMENT ON CONSTRAINT \(PostgreSQLQuoting.identifier(name)) ON \(PostgreSQLQuoting.identifier(table)) IS \(PostgreSQLQuoting.literal(text))"
            }
            try connection.execute(
                "ALTER TABLE \(PostgreSQLQuoting.identifier(table)) DROP CONSTRAINT \(PostgreSQLQuoting.identifier(name))"
            )
            pending.append(
                PostgreSQLDeferredConstraint(
                    table: table, name: name, clause: clause, kind: .foreignKey, comment: comment))
        }
    }

    /// Adds the keys held back (``PostgreSQLDeferredConstraint``): once every table exists, and in a load
    /// once every row is in; primary keys first, then unique keys, then the foreign keys that may reference
    /// them. A duplicate is refused by PostgreSQL naming the key and the value.
    func finishLoad() throws {
        try endCopy()
        let keys = pending.enumerated().sorted { ($0.element.kind, $0.offset) < ($1.element.kind, $1.offset) }
            .map(\.element)
        pending = []
        for key in keys {
            // Not worded as a schema refusal: what fails here is the rows (PostgreSQL names the key and the value).
            try connection.execute(key.statement(notValid: loading))
            if let comment = key.comment { try connection.execute(comment) }
            if key.isForeignKey && loading { unvalidated.append(key) }
        }
    }

    func createIndex(_ index: IndexSchema, on table: String) throws {
        try endCopy()
        if var fulltext = fulltextTables[table], fulltext.keys.contains(index.name) {
            // Kept as declared in the table's comment, so it reads back and exports as the same FULLTEXT key;
            // not built, so a text of any length is accepted, as MySQL accepts it.
            fulltext.note.fulltextIndexes = (fulltext.note.fulltextIndexes ?? []) + [index]
            fulltextTables[table] = fulltext
            try create(
                [PostgreSQLDDL.tableComment(table, fulltext.note)], object: "index \(index.name) of table \(table)")
            return
        }
        try create(try PostgreSQLDDL.index(index, on: table), object: "index \(index.name) of table \(table)")
    }

    /// Views need no key: created at once, so that a load's keys still wait for its rows.
    func createView(_ view: ViewSchema) throws {
        try endCopy()
        try create(try PostgreSQLDDL.view(view), object: "view \(view.name)")
    }

    func createTrigger(_ trigger: TriggerSchema) throws { throw PostgreSQLDDL.trigger(trigger) }

    func setValue(_ value: SQLValue, in table: String, column: String, where keyColumn: String, is key: String) throws {
        try endCopy()
        try connection.execute(
            "UPDATE \(PostgreSQLQuoting.identifier(table)) SET \(PostgreSQLQuoting.identifier(column)) = $1 WHERE \(PostgreSQLQuoting.identifier(keyColumn)) = $2",
            [value, .text(key)])
    }

    /// Every foreign key proved. In a load, every key was added `NOT VALID` (``finishLoad()``), so
    /// `VALIDATE` proves each on all its rows — one join of the server's, the same the anti-joins would
    /// run — and PostgreSQL then knows it proved. Only when one is refused do the anti-joins of
    /// ``PostgreSQLForeignKeyChecker`` run, to name the orphans (the validation is undone, back to a
    /// savepoint, so the transaction goes on). Outside a load the anti-joins prove the keys, as before.
    func foreignKeyViolations(limit: Int) throws -> ForeignKeyCheck {
        try finishLoad()
        var refusal: PostgreSQLError?
        if loading {
            do {
                if try validateHeldBackKeys() { return ForeignKeyCheck() }
            } catch let error as PostgreSQLError where error.sqlState == Self.foreignKeyViolation {
                refusal = error
            }
        }
        let check = try PostgreSQLForeignKeyChecker(connection: connection).check(limit: limit)
        if check.isEmpty {
            // A refused VALIDATE with no orphan the anti-joins can name is not passed over.
            if let refusal { throw refusal }
            for key in unvalidated { try connection.execute(key.validation) }
            unvalidated = []
        }
        return check
    }

    /// SQLSTATE `foreign_key_violation`: a `VALIDATE` found a row whose parent is missing.
    private static let foreignKeyViolation = "23503"

    /// Validates the keys added `NOT VALID`, all or none (a savepoint: a refusal leaves them `NOT VALID` and
    /// the transaction usable). True when afterwards no foreign key of the database is left unproved: in a
    /// load every key was held back and added again here, so every key has then been checked on every row.
    private func validateHeldBackKeys() throws -> Bool {
        guard !unvalidated.isEmpty else { return try unprovedKeys() == 0 }
        try connection.execute("SAVEPOINT transfert_validate")
        do {
            for key in unvalidated { try connection.execute(key.validation) }
            try connection.execute("RELEASE SAVEPOINT transfert_validate")
        } catch let error as PostgreSQLError where !error.isConnectionLost {
            try connection.execute("ROLLBACK TO SAVEPOINT transfert_validate")
            try connection.execute("RELEASE SAVEPOINT transfert_validate")
            throw error
        }
        unvalidated = []
        return try unprovedKeys() == 0
    }

    /// Foreign keys of the database still `NOT VALID` (none once a load's keys are validated).
    private func unprovedKeys() throws -> Int64 {
        try connection.scalar(
            """
            SELECT COUNT(*) FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid
            WHERE co.contype = 'f' AND NOT co.convalidated AND c.relnamespace = current_schema()::regnamespace
            """
        ).integerValue ?? -1
    }

    func deleteRows(of table: String, keeping: (column: String, value: String)?) throws {
        try endCopy()
        if let keeping {
            try connection.execute(
                "DELETE FROM \(PostgreSQLQuoting.identifier(table)) WHERE \(PostgreSQLQuoting.identifier(keeping.column)) IS DISTINCT FROM $1",
                [.text(keeping.value)])
        } else {
            try connection.execute("DELETE FROM \(PostgreSQLQuoting.identifier(table))")
        }
    }

    /// One row by a COPY of its own, ended at once: a refusal (a UNIQUE violation) is this row's, and the
    /// value goes in by the same rules as a restore's (``PostgreSQLCopyEncoder``).
    func insertNow(into table: String, columns: [String], values: [SQLValue]) throws {
        let inserter = try makeInserter(table: table, columns: columns)
        try inserter.insert(values)
        try endCopy()
    }

    func makeInserter(table: String, columns: [String]) throws -> any RowInserter {
        try endCopy()
        return PostgreSQLRowInserter(writer: self, table: table, columns: columns, types: try types(of: table, columns))
    }

    /// The neutral type of each of `columns`, from its PostgreSQL type.
    private func types(of table: String, _ columns: [String]) throws -> [NeutralType] {
        var byName: [String: String] = [:]
        for row in try connection.query(
            """
            SELECT a.attname, format_type(a.atttypid, NULL) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = 'public'::regnamespace AND c.relname = $1 AND a.attnum > 0 AND NOT a.attisdropped
            """, [.text(table)])
        {
            if let name = row[0].textValue { byName[name] = row[1].textValue }
        }
        guard !byName.isEmpty else {
            throw SchemaReadError(object: "table \(table)", message: "the database has no such table to load rows into")
        }
        return try columns.map { column in
            switch byName[column] {
            case "bigint", "integer", "smallint": return .integer
            case "double precision", "real": return .real
            case "text", "character varying", "character": return .text
            case "bytea": return .blob
            case nil:
                throw SchemaReadError(object: "table \(table)", message: "it has no column \(column) to load")
            case let type?:
                throw SchemaReadError(
                    object: "column \(column) of table \(table)",
                    message: "its PostgreSQL type \(type) is not one Transfert loads rows into")
            }
        }
    }

    /// Before COMMIT: the keys held back are added, and each identity column's sequence is moved past the
    /// largest id loaded, so the application's next row gets a new id (as SQLite gives it).
    func finish() throws {
        try finishLoad()
        guard !filled.isEmpty else { return }
        for row in try connection.query(
            """
            SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND a.attidentity <> ''
            """)
        {
            guard let table = row[0].textValue, let column = row[1].textValue, filled.contains(table) else { continue }
            let name = PostgreSQLQuoting.identifier(column)
            try connection.execute(
                "SELECT setval(pg_get_serial_sequence($1, $2), GREATEST(MAX(\(name)), 1), MAX(\(name)) IS NOT NULL) FROM \(PostgreSQLQuoting.identifier(table))",
                [.text(PostgreSQLQuoting.identifier(table)), .text(column)])
        }
        filled = []
    }
}

/// Inserts rows into one table through its writer's COPY (``PostgreSQLCopyEncoder``'s text format).
final class PostgreSQLRowInserter: RowInserter {
    let table: String
    let columns: [String]
    private let writer: PostgreSQLEstablishmentWriter
    private var encoder: PostgreSQLCopyEncoder

    init(writer: PostgreSQLEstablishmentWriter, table: String, columns: [String], types: [NeutralType]) {
        self.writer = writer
        self.table = table
        self.columns = columns
        encoder = PostgreSQLCopyEncoder(table: table, columns: columns, types: types)
    }

    func insert(_ values: [SQLValue]) throws { try insert(rows: CollectionOfOne(SQLValueRow(values: values))) }

    func insert(row: some RawRow) throws { try insert(rows: CollectionOfOne(row)) }

    func insert<Rows: RandomAccessCollection>(rows: Rows) throws where Rows.Element: RawRow {
        guard !rows.isEmpty else { return }
        encoder.removeAll()
        for row in rows { try encoder.append(row) }
        try writer.copy(for: self).send(encoder.bytes)
    }
}
