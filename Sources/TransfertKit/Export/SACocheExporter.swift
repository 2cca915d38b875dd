import Crypto
import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage
import ZIPFoundation

/// Writes a bundle SACoche's own transfer module imports (FORMAT.md, `Docs/sacoche.md`): a CSV with
/// SACoche's 11 columns (no quoting, CRLF after every line, no BOM), and a ZIP of one ZIP per base, each
/// holding `dump_<table>_NNNN.sql` files cut as SACoche cuts them, with `CREATE TABLE` in MySQL dialect
/// without backquotes, `DISABLE KEYS`/`ENABLE KEYS`, and values rendered by SACoche's 2017 rules.
///
/// Everything that SACoche's format cannot carry is refused before anything is written: a table without
/// a MySQL declaration or outside `sacoche_…`, a foreign key, a CHECK the MySQL types do not imply, a
/// view, a trigger, a `;` or a line break in a CSV field (unless `replaceSemicolons` says what to write).
/// Each establishment is locked while it is dumped, like any export.
///
/// ```swift
/// let result = try SACocheExporter(hosting: hosting).run(SACocheExportOptions(selection: .ids([1, 2])))
/// ```
public struct SACocheExporter: Sendable {
    public let hosting: Hosting

    public init(hosting: Hosting) {
        self.hosting = hosting
    }

    public func run(_ options: SACocheExportOptions) throws -> ExportResult {
        var structures = try hosting.structures(in: options.selection)
        try HostingAccess(registry: hosting.registry, settings: hosting.accessSettings)
            .requireWindow(covering: structures.map(\.baseID), command: "export")
        // SACoche's order: zone, then place and name as utf8_unicode_ci compares them.
        structures.sort { a, b in
            if a.zoneID != b.zoneID { return a.zoneID < b.zoneID }
            let place = a.localisation.compare(
                b.localisation, options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
            if place != .orderedSame { return place == .orderedAscending }
            return a.denomination.compare(
                b.denomination, options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
                == .orderedAscending
        }
        let csvFields = try structures.map { try fields(of: $0, replacing: options.replaceSemicolons) }
        // Transfert's own tables (a SIS feed's state) have no place in SACoche's bases: left out, and said.
        var leftOut: [String] = []
        for structure in structures {
            for table in try checkSchema(of: structure) {
                leftOut.append(
                    "establishment \(structure.baseID) (\(structure.displayName)): Transfert's table \(table) (the SIS feed's state) is left out: SACoche has no such table; a feed on the target starts a new history there"
                )
            }
        }

        let outputDirectory = options.outputDirectory ?? hosting.directory.appendingPathComponent("exports")
        let work = try WorkDirectory.create(prefix: "transfert-sacoche-export")
        defer { WorkDirectory.remove(work) }
        let output = try CreatedOutputDirectory.create(at: outputDirectory)
        let stamp = Self.stamp(Date())
        let name = SACocheNames.bundle(stamp: stamp, random: UInt32.random(in: 0...2_147_483_647))
        let csvURL = outputDirectory.appendingPathComponent(name + ".csv")
        let zipURL = outputDirectory.appendingPathComponent(name + ".zip")

        var locked: [Int64] = []
        let lockedIDs = LockedIDs()
        let heartbeat = LockHeartbeat(registry: hosting.registry) { lockedIDs.ids }
        defer { heartbeat.stop() }
        do {
            var inner: [(name: String, url: URL)] = []
            var exported: [ExportedEstablishment] = []
            var csv = CSVManifest.sacocheColumns.joined(separator: ";") + "\r\n"
            var refusals: [SACocheExportError.Refusal] = []
            options.progress?.begin(items: structures.count)
            for (structure, fields) in zip(structures, csvFields) {
                let started = Date()
                let item = options.progress?.startItem(structure.displayName)
                let innerName = SACocheNames.innerZip(
                    baseID: structure.baseID, stamp: stamp, random: UInt32.random(in: 0...2_147_483_647))
                try hosting.registry.acquire(.automatic(baseID: structure.baseID))
                locked.append(structure.baseID)
                lockedIDs.insert(structure.baseID)
                let url = work.appendingPathComponent(innerName)
                let summary = try writeBase(
                    of: structure, to: url, packet: options.packetRows, shouldStop: options.shouldStop)
                if summary.refusedCount > 0 {
                    refusals.append(
                        SACocheExportError.Refusal(
                            baseID: structure.baseID, name: structure.displayName,
                            problems: summary.refused, count: summary.refusedCount))
                }
                if !options.keepLocked {
                    try hosting.registry.releaseLock(baseID: structure.baseID)
                    locked.removeAll { $0 == structure.baseID }
                    lockedIDs.remove(structure.baseID)
                }
                item?.add(summary.bytes)
                item?.finish(outcome: "exported")
                inner.append((innerName, url))
                csv += (fields + [innerName]).joined(separator: ";") + "\r\n"
                exported.append(
                    ExportedEstablishment(
                        baseID: structure.baseID, denomination: structure.denomination, nomFichier: innerName,
                        tables: summary.tables, rows: summary.rows, dumpBytes: summary.bytes, filesCount: 0,
                        filesBytes: 0, seconds: Date().timeIntervalSince(started)))
            }
            // Only private work files exist so far: a refusal leaves nothing behind.
            guard refusals.isEmpty else { throw SACocheExportError.valuesRefused(refusals) }
            // The outer ZIP lists the bases in byte order of their names (SACoche adds them in scandir() order).
            let partialZip = AtomicFile.partialURL(for: zipURL)
            let outer = try Archive(url: partialZip, accessMode: .create)
            for entry in inner.sorted(by: { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }) {
                try outer.addEntry(with: entry.name, fileURL: entry.url, compressionMethod: .deflate)
            }
            // The CSV first, as for any export: never a ZIP that looks finished without its CSV.
            try AtomicFile.write(Data(csv.utf8), to: csvURL)
            try AtomicFile.commit(partialZip, as: zipURL)
            if options.keepLocked {
                for id in locked { try hosting.registry.keep(baseID: id, message: StructureLock.movedMessage) }
            }
            for structure in structures {
                try? hosting.registry.record(
                    JournalEntry(
                        event: .exported, guid: structure.guid.uuidString.lowercased(), baseID: structure.baseID,
                        denomination: structure.denomination, bundle: name,
                        details: "SACoche format" + (options.keepLocked ? "; kept locked for a move" : "")))
            }
            var result = ExportResult(
                csv: csvURL, zip: zipURL, establishments: exported, keptLocked: options.keepLocked)
            result.warnings =
                try hosting.movedLeftOut(in: options.selection).map {
                    "left out establishment \($0.baseID) (\($0.displayName)): it moved to another server (confirmed)"
                } + leftOut
            return result
        } catch {
            for id in locked { try? hosting.registry.releaseLock(baseID: id) }
            for url in [zipURL, csvURL, AtomicFile.partialURL(for: zipURL)] {
                try? FileManager.default.removeItem(at: url)
            }
            // An output directory this export made stays only if it holds something (a refusal: nothing).
            output.removeIfEmpty()
            throw error
        }
    }

    /// `YYYY-MM-DD_HH-MM-SS`, as PHP's `date('Y-m-d_H-i-s')`.
    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Paris")
        formatter.dateFormat = "yyyy-MM-dd_HH-mm-ss"
        return formatter.string(from: date)
    }

    /// The 10 first CSV fields (Nom_fichier comes with the dump), checked: SACoche writes them raw.
    private func fields(of structure: Structure, replacing: String?) throws -> [String] {
        let named: [(String, String)] = [
            ("Id_Export", String(structure.baseID)), ("Id_Import", ""), ("Id_Zone", String(structure.zoneID)),
            ("Localisation", structure.localisation), ("Dénomination", structure.denomination),
            ("UAI", structure.uai?.rawValue ?? ""),
            ("Contact_Nom", structure.contactNom), ("Contact_Prénom", structure.contactPrenom),
            ("Contact_Courriel", structure.contactCourriel.rawValue),
            ("Date_Inscription", structure.inscriptionDate.description),
        ]
        return try named.map { field, value in
            if value.contains(where: { $0 == "\n" || $0 == "\r" }) {
                throw SACocheExportError.lineBreak(baseID: structure.baseID, name: structure.displayName, field: field)
            }
            guard value.contains(";") else { return value }
            guard let replacing, !replacing.contains(";") else {
                throw SACocheExportError.semicolon(
                    baseID: structure.baseID, name: structure.displayName, field: field, value: value)
            }
            return value.replacingOccurrences(of: ";", with: replacing)
        }
    }

    /// Refuses what a SACoche bundle would drop; returns Transfert's own tables, which it leaves out.
    private func checkSchema(of structure: Structure) throws -> [String] {
        let schema = try hosting.establishments.read(baseID: structure.baseID) { try $0.schema() }
        if let view = schema.views.first {
            throw SACocheExportError.cannotCarry(baseID: structure.baseID, table: view.name, what: "a view")
        }
        if let trigger = schema.triggers.first {
            throw SACocheExportError.cannotCarry(
                baseID: structure.baseID, table: trigger.table, what: "trigger \(trigger.name)")
        }
        var own: [String] = []
        for table in schema.tables {
            if FeedStateTables.isOwn(table.name) {
                own.append(table.name)
                continue
            }
            guard table.name.hasPrefix("sacoche_") else {
                throw SACocheExportError.notSACocheTable(baseID: structure.baseID, table: table.name)
            }
            guard let mysql = table.mysql else { throw SACocheExportError.notMySQL(table: table.name) }
            if !table.foreignKeys.isEmpty {
                throw SACocheExportError.cannotCarry(baseID: structure.baseID, table: table.name, what: "a foreign key")
            }
            if let index = table.indexes.first(where: { !MySQLCreateTable.isOnPlainColumns($0) }) {
                throw SACocheExportError.cannotCarry(
                    baseID: structure.baseID, table: table.name, what: MySQLDumpText.keyNotOnPlainColumns(index.name))
            }
            let implied = Set(
                try zip(table.columns, mysql.columns).compactMap { column, declared in
                    try MySQLColumnType(parsing: declared.type).checkExpression(column: column.name)
                })
            for check in table.checks where !implied.contains(check) {
                throw SACocheExportError.cannotCarry(
                    baseID: structure.baseID, table: table.name, what: "CHECK (\(check))")
            }
        }
        return own
    }

    private struct BaseSummary {
        var tables = 0
        var rows: Int64 = 0
        var bytes: Int64 = 0
        /// Values a MySQL server in strict mode would refuse or change (the first ones), and how many.
        var refused: [MySQLValueProblem] = []
        var refusedCount = 0
    }

    /// Refused values listed per establishment (all are counted).
    static let listedRefusals = 50

    /// One base's inner ZIP: every table's files, in table-name order, from one read snapshot.
    private func writeBase(of structure: Structure, to url: URL, packet: Int, shouldStop: @Sendable () -> Bool) throws
        -> BaseSummary
    {
        let archive = try Archive(url: url, accessMode: .create)
        var summary = BaseSummary()
        try hosting.establishments.read(baseID: structure.baseID) { reader in
            let schema = try reader.schema()
            for table in schema.tables.sorted(by: { $0.name < $1.name }) where !FeedStateTables.isOwn(table.name) {
                let columns = table.columnNames
                let perFile = MySQLDumpText.rowsPerFile(table: table.name, packet: packet)
                let autoColumn = table.mysql?.columns.first(where: \.autoIncrement)?.name
                var counter = table.mysql?.autoIncrement ?? 0
                var chunk = 0
                var rowsInChunk = 0
                var buffer: [UInt8] = []
                // Every value is checked as it is written (one read): a bundle SACoche's MySQL would only
                // partly restore is never handed out (``MySQLRowAudit``).
                var audit = try MySQLRowAudit(table: table, limit: max(0, Self.listedRefusals - summary.refused.count))
                func add(_ bytes: [UInt8]) throws {
                    let name = SACocheNames.sqlEntry(table: table.name, chunk: chunk)
                    try archive.addEntry(
                        with: name, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate
                    ) { position, size in
                        Data(bytes[Int(position)..<Int(position) + size])
                    }
                    summary.bytes += Int64(bytes.count)
                }
                // The CREATE TABLE shows the table's counter: the key column is read first (one column),
                // so that each file can then be written as soon as it is full.
                if let autoColumn {
                    try reader.forEachRawRow(of: table.name, columns: [autoColumn]) { row in
                        if row.kind(at: 0) == .integer { counter = max(counter, row.integer(at: 0) + 1) }
                    }
                }
                buffer.append(contentsOf: "DROP TABLE IF EXISTS \(table.name);\r\n".utf8)
                buffer.append(
                    contentsOf: (try MySQLDumpText.createTable(
                        table, autoIncrement: autoColumn == nil ? nil : counter, baseID: structure.baseID) + ";\r\n")
                        .utf8)
                buffer.append(contentsOf: "ALTER TABLE \(table.name) DISABLE KEYS;\r\n".utf8)
                try reader.forEachRawRow(of: table.name, columns: columns) { row in
                    if shouldStop() { throw CancellationError() }
                    audit?.check(row)
                    if rowsInChunk == perFile {
                        buffer.append(contentsOf: ";\r\n".utf8)
                        try add(buffer)
                        buffer.removeAll(keepingCapacity: true)
                        chunk += 1
                        rowsInChunk = 0
                    }
                    buffer.append(
                        contentsOf: (rowsInChunk == 0 ? "INSERT INTO \(table.name) VALUES \r\n(" : ",\r\n(").utf8)
                    for index in 0..<row.count {
                        if index > 0 { buffer.append(0x2C) }
                        MySQLDumpText.appendValue(of: row, at: index, to: &buffer)
                    }
                    buffer.append(0x29)
                    rowsInChunk += 1
                    summary.rows += 1
                }
                if rowsInChunk > 0 { buffer.append(contentsOf: ";\r\n".utf8) }
                buffer.append(contentsOf: "ALTER TABLE \(table.name) ENABLE KEYS;\r\n".utf8)
                try add(buffer)
                summary.tables += 1
                if let audit {
                    summary.refused += audit.problems
                    summary.refusedCount += audit.refusedCount
                }
            }
        }
        return summary
    }
}

/// What `export --format sacoche` does.
public struct SACocheExportOptions: Sendable {
    public var selection: ExportSelection
    public var outputDirectory: URL?
    public var keepLocked = false
    /// What to write instead of a `;` in a CSV field; `nil`: refuse such a field.
    public var replaceSemicolons: String?
    /// SACoche's packet: rows per file (5000 on a server without a memory limit).
    public var packetRows = 5000
    public var shouldStop: @Sendable () -> Bool = { false }
    /// Told of each base written.
    public var progress: WorkProgress?

    public init(
        selection: ExportSelection, outputDirectory: URL? = nil, keepLocked: Bool = false,
        replaceSemicolons: String? = nil, packetRows: Int = 5000
    ) {
        self.selection = selection
        self.outputDirectory = outputDirectory
        self.keepLocked = keepLocked
        self.replaceSemicolons = replaceSemicolons
        self.packetRows = packetRows
    }
}
