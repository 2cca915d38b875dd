import Foundation
import TransfertFormats
import TransfertModel

/// Plans a merge of a bundle's rows (restored in a scratch database) into an establishment, by the
/// profile's natural keys (``ContentModel/mergeKeys``) and references (``ContentModel/references(in:)``:
/// declared foreign keys and the implicit ones).
///
/// Tables are taken parents first. For each bundle row: its reference columns are rewritten through the
/// id maps of the tables already planned; then, in a table with a natural key, a row whose key the
/// establishment (or an earlier bundle row) has is *matched* — its id maps to the existing one, nothing
/// is inserted; otherwise a row with a one-column integer primary key gets a new id above the largest
/// one, and is inserted. A row made only of references (a membership) that is there already is skipped.
/// Nothing is written here: ``MergeWriter`` inserts the plan in one transaction.
struct MergePlanner {
    let model: ContentModel
    /// The tables whose rows are not merged (`--without`): they stay as they are.
    let leftOut: Set<String>

    func plan(bundle: any EstablishmentReader, existing: any EstablishmentReader) throws -> MergePlan {
        let schema = try bundle.schema()
        let references = model.references(in: schema)
        let order = try Self.referenceOrder(schema: schema, references: references, leaving: leftOut)
        var idMaps: [String: [SQLValue: SQLValue]] = [:]
        var tables: [MergePlan.Table] = []
        for table in order {
            guard let definition = schema.table(named: table) else { continue }
            let planned = try planTable(
                definition, references: references.filter { $0.table == table }, schema: schema, bundle: bundle,
                existing: existing, idMaps: &idMaps)
            tables.append(planned)
        }
        return MergePlan(tables: tables)
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

    private func planTable(
        _ table: TableSchema, references: [ImplicitReference], schema: DatabaseSchema,
        bundle: any EstablishmentReader, existing: any EstablishmentReader, idMaps: inout [String: [SQLValue: SQLValue]]
    ) throws -> MergePlan.Table {
        guard try existing.tableNames().contains(table.name) else {
            throw RestoreError.refused(
                "the bundle has a table \(table.name) that the establishment has not: their schemas differ; restore with --replace"
            )
        }
        let columns = try bundle.columnNames(of: table.name)
        let index = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let existingColumns = Set(try existing.columnNames(of: table.name))
        if let missing = columns.first(where: { !existingColumns.contains($0) }) {
            throw RestoreError.refused(
                "the bundle's table \(table.name) has a column \(missing) that the establishment's has not: their schemas differ; restore with --replace"
            )
        }
        let primaryKey = table.primaryKey
        let integerKey: String? =
            primaryKey.count == 1 && table.columns.first(where: { $0.name == primaryKey[0] })?.type == .integer
            ? primaryKey[0] : nil
        let naturalKey = model.mergeKeys[table.name] ?? []
        // Single-column references to a merged parent's primary key are rewritten through its id map.
        let remapped: [(column: Int, parent: String)] = references.compactMap { reference in
            guard reference.columns.count == 1, let column = index[reference.columns[0]],
                let parent = schema.table(named: reference.parent),
                reference.parentColumns == parent.primaryKey || reference.parentColumns.isEmpty
            else { return nil }
            return (column, reference.parent)
        }
        let referenceColumns = Set(references.flatMap(\.columns))
        let onlyReferences = !primaryKey.isEmpty && primaryKey.allSatisfy { referenceColumns.contains($0) }

        // What the establishment has: its natural keys, its largest id, its reference-only rows.
        var existingByKey: [[SQLValue]: SQLValue] = [:]
        var existingRows = Set<[SQLValue]>()
        var largest: Int64 = 0
        let keyColumns = naturalKey + (integerKey.map { [$0] } ?? primaryKey)
        if !keyColumns.isEmpty {
            try existing.forEachRow(of: table.name, columns: keyColumns) { values in
                if case .integer(let id)? = integerKey.map({ _ in values[values.count - 1] }) {
                    largest = max(largest, id)
                }
                if !naturalKey.isEmpty, !values[0..<naturalKey.count].contains(.null) {
                    existingByKey[Array(values[0..<naturalKey.count])] =
                        values.count > naturalKey.count ? values[naturalKey.count] : .null
                }
                if onlyReferences { existingRows.insert(Array(values[naturalKey.count...])) }
            }
        }

        var planned = MergePlan.Table(
            name: table.name, columns: columns, inserts: [], matches: [], alreadyThere: 0, origins: [])
        var map: [SQLValue: SQLValue] = [:]
        var position = 0
        try bundle.forEachRow(of: table.name, columns: columns) { source in
            position += 1
            var row = source
            let origin =
                integerKey.flatMap { index[$0] }.map { "\(primaryKey[0]) = \(Self.literal(source[$0]))" }
                ?? primaryKey.compactMap { name in index[name].map { "\(name) = \(Self.literal(source[$0]))" } }
                .joined(separator: ", ")
            let described = origin.isEmpty ? "row \(position)" : "the row with \(origin)"
            for (column, parent) in remapped {
                let value = row[column]
                if case .null = value { continue }
                guard let parentMap = idMaps[parent] else { continue }  // a parent not merged: kept as it is
                guard let mapped = parentMap[value] else {
                    throw RestoreError.mergeConflict(
                        table: table.name, row: described,
                        reason:
                            "\(columns[column]) = \(Self.literal(value)) points at no row of \(parent) in the bundle")
                }
                row[column] = mapped
            }
            let bundleID = primaryKey.count == 1 ? index[primaryKey[0]].map { source[$0] } : nil
            if !naturalKey.isEmpty {
                let key = naturalKey.map { index[$0].map { row[$0] } ?? .null }
                // NULL equals nothing in SQL: a key with a NULL in it matches no row.
                if !key.contains(.null), let found = existingByKey[key] {
                    if let bundleID { map[bundleID] = found }
                    planned.matches.append(
                        MergeMatch(
                            table: table.name,
                            key: zip(naturalKey, key).map { "\($0) = \(Self.literal($1))" }.joined(separator: ", "),
                            bundleID: bundleID.map(Self.literal) ?? "—", existingID: Self.literal(found)))
                    return
                }
            }
            if onlyReferences {
                let key = primaryKey.map { index[$0].map { row[$0] } ?? .null }
                if existingRows.contains(key) {
                    planned.alreadyThere += 1
                    return
                }
                existingRows.insert(key)
            }
            if let integerKey, let column = index[integerKey] {
                let (next, overflow) = largest.addingReportingOverflow(1)
                if overflow {
                    throw RestoreError.mergeConflict(
                        table: table.name, row: described, reason: "no id is left above \(largest)")
                }
                largest = next
                row[column] = .integer(next)
                if let bundleID { map[bundleID] = .integer(next) }
            } else if let bundleID {
                map[bundleID] = bundleID
            }
            if !naturalKey.isEmpty, let newID = integerKey.flatMap({ index[$0] }).map({ row[$0] }) ?? bundleID {
                let key = naturalKey.map { index[$0].map { row[$0] } ?? .null }
                if !key.contains(.null) { existingByKey[key] = newID }
            }
            planned.inserts.append(row)
            planned.origins.append(described)
        }
        if primaryKey.count == 1 { idMaps[table.name] = map }
        return planned
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
