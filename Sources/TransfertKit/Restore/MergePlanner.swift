import Foundation
import TransfertFormats
import TransfertModel

/// Merges a bundle's rows (restored in a scratch database) into an establishment, by the profile's natural
/// keys (``ContentModel/mergeKeys``) and references (``ContentModel/references(in:)``: declared foreign
/// keys and the implicit ones).
///
/// Tables are taken parents first. For each bundle row: its reference columns are rewritten through the
/// id maps of the tables already taken; then, in a table with a natural key, a row whose key the
/// establishment (or an earlier bundle row) has is *matched* — its id maps to the existing one, nothing
/// is inserted; otherwise a row with a one-column integer primary key gets a new id above the largest
/// one, and is inserted. A row made only of references (a membership) that is there already is skipped.
///
/// Rows stream: what the establishment holds is read first (``facts(in:)``: natural keys, largest ids,
/// reference-only rows — never the rows of a big table), then each bundle row is handed to `insert` as it
/// is read, so memory holds the id maps of parent tables only, not the bundle.
struct MergePlanner {
    let model: ContentModel
    /// The bundle's schema (after migrations: the establishment's version).
    let schema: DatabaseSchema
    /// The tables whose rows are not merged (`--without`): they stay as they are.
    let leftOut: Set<String>
    /// Tables in which any match refuses the merge (`--merge-users never`): the users category's.
    var refuseMatchesIn: Set<String> = []

    /// What the establishment holds that the merge needs, read in one snapshot before the write.
    struct Facts {
        var keys: [String: [[SQLValue]: SQLValue]] = [:]
        var largest: [String: Int64] = [:]
        var referenceRows: [String: Set<[SQLValue]>] = [:]
    }

    /// How one table is merged.
    private struct Shape {
        var table: TableSchema
        var primaryKey: [String]
        var integerKey: String?
        var naturalKey: [String]
        var onlyReferences: Bool
    }

    private var references: [ImplicitReference] { model.references(in: schema) }

    /// The tables merged, parents first.
    func order() throws(RestoreError) -> [String] {
        try Self.referenceOrder(schema: schema, references: references, leaving: leftOut)
    }

    private func shape(_ table: TableSchema) -> Shape {
        let primaryKey = table.primaryKey
        let integerKey: String? =
            primaryKey.count == 1 && table.columns.first(where: { $0.name == primaryKey[0] })?.type == .integer
            ? primaryKey[0] : nil
        let referenceColumns = Set(references.filter { $0.table == table.name }.flatMap(\.columns))
        return Shape(
            table: table, primaryKey: primaryKey, integerKey: integerKey, naturalKey: model.mergeKeys[table.name] ?? [],
            onlyReferences: !primaryKey.isEmpty && primaryKey.allSatisfy { referenceColumns.contains($0) })
    }

    func facts(in existing: any EstablishmentReader) throws -> Facts {
        var facts = Facts()
        let tables = Set(try existing.tableNames())
        for name in try order() {
            guard let table = schema.table(named: name) else { continue }
            guard tables.contains(name) else {
                throw RestoreError.refused(
                    "the bundle has a table \(name) that the establishment has not: their schemas differ; restore with --replace"
                )
            }
            let columns = Set(try existing.columnNames(of: name))
            if let missing = table.columns.map(\.name).first(where: { !columns.contains($0) }) {
                throw RestoreError.refused(
                    "the bundle's table \(name) has a column \(missing) that the establishment's has not: their schemas differ; restore with --replace"
                )
            }
            let shape = shape(table)
            let keyColumns = shape.naturalKey + (shape.integerKey.map { [$0] } ?? shape.primaryKey)
            guard !keyColumns.isEmpty else { continue }
            let naturalCount = shape.naturalKey.count
            var keys: [[SQLValue]: SQLValue] = [:]
            var largest: Int64 = 0
            var rows = Set<[SQLValue]>()
            try existing.forEachRow(of: name, columns: keyColumns) { values in
                if shape.integerKey != nil, case .integer(let id) = values[values.count - 1] {
                    largest = max(largest, id)
                }
                // NULL equals nothing in SQL: a key holding one matches no row.
                if naturalCount > 0, !values[0..<naturalCount].contains(.null) {
                    keys[Array(values[0..<naturalCount])] = values.count > naturalCount ? values[naturalCount] : .null
                }
                if shape.onlyReferences { rows.insert(Array(values[naturalCount...])) }
            }
            facts.keys[name] = keys
            facts.largest[name] = largest
            if shape.onlyReferences { facts.referenceRows[name] = rows }
        }
        return facts
    }

    /// Reads the bundle's rows table by table and hands each row to add to `insert` (table, columns,
    /// values, the bundle row in words); a refusal by `insert` is named as a conflict of that row.
    func merge(
        bundle: any EstablishmentReader, facts: Facts,
        insert: (_ table: String, _ columns: [String], _ values: [SQLValue]) throws -> Void
    ) throws -> MergeOutcome {
        var facts = facts
        var outcome = MergeOutcome()
        // Only parents keep an id map: a grade's new id is nobody's concern.
        let parents = Set(references.map(\.parent))
        var idMaps: [String: [SQLValue: SQLValue]] = [:]
        for name in try order() {
            guard let table = schema.table(named: name) else { continue }
            let shape = shape(table)
            var summary = MergeTableSummary(table: name, added: 0, matched: 0, alreadyThere: 0)
            var matches: [MergeMatch] = []
            var map: [SQLValue: SQLValue]? = parents.contains(name) && shape.primaryKey.count == 1 ? [:] : nil
            let columns = try bundle.columnNames(of: name)
            let index = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            // Single-column references to a merged parent's primary key are rewritten through its id map.
            let remapped: [(column: Int, parent: String)] = references.filter { $0.table == name }.compactMap {
                reference in
                guard reference.columns.count == 1, let column = index[reference.columns[0]],
                    let parent = schema.table(named: reference.parent),
                    reference.parentColumns == parent.primaryKey || reference.parentColumns.isEmpty
                else { return nil }
                return (column, reference.parent)
            }
            var keys = facts.keys[name] ?? [:]
            var largest = facts.largest[name] ?? 0
            var referenceRows = facts.referenceRows[name] ?? []
            var position = 0
            try bundle.forEachRow(of: name, columns: columns) { source in
                position += 1
                var row = source
                func described() -> String {
                    let key = shape.primaryKey.compactMap { column in
                        index[column].map { "\(column) = \(Self.literal(source[$0]))" }
                    }
                    return key.isEmpty ? "row \(position)" : "the row with \(key.joined(separator: ", "))"
                }
                for (column, parent) in remapped {
                    let value = row[column]
                    if case .null = value { continue }
                    guard let parentMap = idMaps[parent] else { continue }  // a parent not merged: kept as it is
                    guard let mapped = parentMap[value] else {
                        throw RestoreError.mergeConflict(
                            table: name, row: "bundle \(described())",
                            reason:
                                "\(columns[column]) = \(Self.literal(value)) points at no row of \(parent) in the bundle"
                        )
                    }
                    row[column] = mapped
                }
                let bundleID = shape.primaryKey.count == 1 ? index[shape.primaryKey[0]].map { source[$0] } : nil
                let naturalKey = shape.naturalKey.map { index[$0].map { row[$0] } ?? .null }
                if !naturalKey.isEmpty, !naturalKey.contains(.null), let found = keys[naturalKey] {
                    if let bundleID { map?[bundleID] = found }
                    summary.matched += 1
                    matches.append(
                        MergeMatch(
                            table: name,
                            key: zip(shape.naturalKey, naturalKey).map { "\($0) = \(Self.literal($1))" }
                                .joined(separator: ", "),
                            bundleID: bundleID.map(Self.literal) ?? "—", existingID: Self.literal(found)))
                    return
                }
                if shape.onlyReferences {
                    let key = shape.primaryKey.map { index[$0].map { row[$0] } ?? .null }
                    if !referenceRows.insert(key).inserted {
                        summary.alreadyThere += 1
                        return
                    }
                }
                var newID = bundleID
                if let integerKey = shape.integerKey, let column = index[integerKey] {
                    let (next, overflow) = largest.addingReportingOverflow(1)
                    if overflow {
                        throw RestoreError.mergeConflict(
                            table: name, row: "bundle \(described())", reason: "no id is left above \(largest)")
                    }
                    largest = next
                    row[column] = .integer(next)
                    newID = .integer(next)
                }
                if let bundleID, let newID { map?[bundleID] = newID }
                if !naturalKey.isEmpty, !naturalKey.contains(.null), let newID { keys[naturalKey] = newID }
                do {
                    try insert(name, columns, row)
                } catch let error as RestoreError {
                    throw error
                } catch {
                    throw RestoreError.mergeConflict(
                        table: name, row: "bundle \(described())", reason: "the database refused it (\(error))")
                }
                summary.added += 1
            }
            if refuseMatchesIn.contains(name), !matches.isEmpty {
                throw RestoreError.refused(
                    "--merge-users never: \(matches.count) row(s) of \(name) in the bundle match rows already here (\(matches.prefix(5).map { "\($0.key): bundle \($0.bundleID) → existing \($0.existingID)" }.joined(separator: "; "))\(matches.count > 5 ? "; …" : "")). Nothing was merged. Restore --without users, or with --merge-users match"
                )
            }
            facts.keys[name] = keys
            facts.largest[name] = largest
            facts.referenceRows[name] = referenceRows
            if let map { idMaps[name] = map }
            outcome.tables.append(summary)
            outcome.matches += matches
        }
        return outcome
    }

    /// Tables parents first; a cycle among the merged tables (a table pointing at itself included) is
    /// refused, naming the tables, since no order would insert a parent before its child.
    static func referenceOrder(schema: DatabaseSchema, references: [ImplicitReference], leaving leftOut: Set<String>)
        throws(RestoreError) -> [String]
    {
        let names = schema.tables.map(\.name).filter { !leftOut.contains($0) }
        let merged = Set(names)
        var parents: [String: Set<String>] = [:]
        for reference in references where merged.contains(reference.table) && merged.contains(reference.parent) {
            parents[reference.table, default: []].insert(reference.parent)
        }
        var order: [String] = []
        var placed = Set<String>()
        while order.count < names.count {
            let ready = names.filter { !placed.contains($0) && (parents[$0] ?? []).isSubset(of: placed) }
            guard !ready.isEmpty else {
                let cycle = names.filter { !placed.contains($0) }
                throw .refused(
                    "the references of tables \(cycle.joined(separator: ", ")) form a cycle (\(cycle.map { "\($0) → \((parents[$0] ?? []).sorted().joined(separator: ", "))" }.joined(separator: "; "))), so no order adds a row after the row it points at: --merge cannot be used with this profile; use --replace"
                )
            }
            for table in ready {
                order.append(table)
                placed.insert(table)
            }
        }
        return order
    }

    static func literal(_ value: SQLValue) -> String {
        switch value {
        case .null: return "NULL"
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return "'\(v.replacingOccurrences(of: "'", with: "''"))'"
        case .blob(let v): return "a \(v.count)-byte value"
        }
    }
}
