import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Produces the two transfer files of an export: the CSV manifest and the ZIP of dumps.
///
/// Each establishment is locked, dumped from one read snapshot, and unlocked (unless `keepLocked`).
/// Both files are written under hidden temporary names and renamed only when complete, so an export
/// that fails or is interrupted leaves nothing that looks finished — and releases every lock it took.
///
/// ```swift
/// let result = try Exporter(hosting: hosting).run(ExportOptions(selection: .ids([1, 4])))
/// print(result.csv.path, result.zip.path)
/// ```
public struct Exporter: Sendable {
    public let hosting: Hosting

    public init(hosting: Hosting) {
        self.hosting = hosting
    }

    public func run(_ options: ExportOptions) throws -> ExportResult {
        // The selection is checked before anything is locked or written.
        let content = try ExportContent(profile: hosting.profile, options: options)
        var options = options
        // The files category left out is `--no-files`, and the manifest says so.
        if !content.carriesFiles { options.includeFiles = false }
        let structures = try hosting.structures(in: options.selection)
        if options.requiresMaintenanceWindow {
            try HostingAccess(registry: hosting.registry, settings: hosting.accessSettings)
                .requireWindow(covering: structures.map(\.baseID), command: "export")
        }
        let outputDirectory = options.outputDirectory ?? hosting.directory.appendingPathComponent("exports")
        let output = try prepare(outputDirectory)
        let name = options.bundleName ?? Self.bundleName()
        let csvURL = outputDirectory.appendingPathComponent(name + ".csv")
        let zipURL = outputDirectory.appendingPathComponent(name + ".zip")
        let partialZip = Self.partialURL(for: zipURL)
        let partialCSV = Self.partialURL(for: csvURL)

        let locked = LockedIDs()
        // The locks of establishments being dumped stay fresh however long a dump takes.
        let heartbeat = LockHeartbeat(registry: hosting.registry) { locked.ids }
        defer { heartbeat.stop() }
        do {
            let writer = try ArchiveWriter(url: partialZip, level: options.compressionLevel)
            var exported: [ExportedEstablishment] = []
            var manifests: [BundleManifest.Establishment] = []
            var rows: [CSVManifest.Row] = []
            let dumped = try exportAll(structures, into: writer, options: options, content: content, locked: locked)
            for (structure, (manifest, summary)) in zip(structures, dumped) {
                manifests.append(manifest)
                exported.append(summary)
                rows.append(content.csvRow(csvRow(structure, manifest)))
            }
            try writer.drain()
            // Record the files' digests computed while they were written.
            for index in manifests.indices {
                manifests[index].files = try manifests[index].files.map { file in
                    guard let record = writer.fileRecord(path: file.path) else {
                        throw BundleError.fileChanged(file.path)
                    }
                    return record
                }
            }
            let manifest = BundleManifest(
                formatVersion: content.formatVersion, toolVersion: TransfertKitVersion.current,
                source: .init(
                    serverName: hosting.configuration.serverName, baseURL: hosting.configuration.baseURL,
                    fingerprint: try hosting.registry.fingerprint(), backend: hosting.backend.name,
                    applicationProfile: hosting.profile.name),
                createdAt: ISO8601DateFormatter().string(from: Date()),
                options: .init(
                    includeFiles: options.includeFiles, keepLocked: options.keepLocked, content: content.selection),
                establishments: manifests)
            // Streamed through a file beside the ZIP (removed below; a dead export's is removed by the next,
            // like its partial ZIP): the manifest grows with the number of establishments, memory must not.
            let manifestFile = Self.partialURL(for: zipURL.appendingPathExtension("manifest"))
            defer { try? FileManager.default.removeItem(at: manifestFile) }
            let manifestSize = try manifest.write(to: manifestFile)
            try writer.add(path: BundleFormat.manifestPath, file: manifestFile, size: manifestSize)
            try writer.drain()
            try writer.close()
            try Self.writeFile(CSVManifest.render(rows), to: partialCSV)
            // The CSV first: killed between the two renames, what is left is a CSV whose ZIP is still a
            // dead process's partial file — obviously incomplete, and removed by the next export — never a
            // ZIP that looks finished on its own.
            try Self.commit(partialCSV, as: csvURL)
            try Self.commit(partialZip, as: zipURL)
            if options.keepLocked {
                for id in locked.ids { try hosting.registry.keep(baseID: id, message: StructureLock.movedMessage) }
            }
            // The bundle is complete: a journal line that cannot be written does not undo it. Its SHA-256
            // and the table digests are what a receipt will be checked against (`transfert confirm`).
            var warnings: [String] = []
            let zipSHA256: String?
            do { zipSHA256 = try SHA256Hex.ofFile(zipURL) } catch {
                zipSHA256 = nil
                warnings.append(
                    "the ZIP's SHA-256 could not be computed (\(error.localizedDescription)): `transfert confirm` will not recognise this bundle; export again for a move"
                )
            }
            for (structure, establishment) in zip(structures, manifests) {
                do {
                    try hosting.registry.record(
                        JournalEntry(
                            event: .exported, guid: structure.guid.uuidString.lowercased(), baseID: structure.baseID,
                            denomination: structure.denomination, bundle: name,
                            details: content.journalDetails(keptLocked: options.keepLocked),
                            uai: structure.uai?.rawValue,
                            bundleSHA256: zipSHA256, digests: establishment.tables, note: options.note))
                } catch {
                    warnings.append(
                        "the journal line of establishment \(structure.baseID) could not be written (\(error)): `transfert confirm` will refuse its receipt; export it again for a move"
                    )
                }
            }
            var result = ExportResult(
                csv: csvURL, zip: zipURL, establishments: exported, keptLocked: options.keepLocked)
            result.content = content.selection
            result.leftOutToo = content.resolved?.consequences ?? []
            result.warnings =
                try hosting.movedLeftOut(in: options.selection).map {
                    "left out establishment \($0.baseID) (\($0.displayName)): it moved to another server (confirmed); remove it with `transfert structure remove --ids \($0.baseID)`"
                } + warnings
            return result
        } catch {
            for id in locked.ids { try? hosting.registry.releaseLock(baseID: id) }
            for url in [partialZip, partialCSV, zipURL, csvURL] where FileManager.default.fileExists(atPath: url.path) {
                try? FileManager.default.removeItem(at: url)
            }
            // An output directory this export made stays only if it holds something.
            output.removeIfEmpty()
            throw error
        }
    }

    /// Locks, dumps and unlocks each establishment (unlocking unless `keepLocked`), two at a time, and
    /// returns the results in selection order.
    ///
    /// Formatting SQL is the export's busiest work and runs on the thread that reads the database; with
    /// one establishment at a time it bounds exports of many small establishments. Two workers keep both
    /// cores busy, the ZIP writer deflating in between. Each establishment is locked only while it is
    /// dumped; the first failure stops the other worker at its next statement.
    private func exportAll(
        _ structures: [Structure], into writer: ArchiveWriter, options: ExportOptions, content: ExportContent,
        locked: LockedIDs
    ) throws -> [(BundleManifest.Establishment, ExportedEstablishment)] {
        let work = IndexedWorkQueue<(BundleManifest.Establishment, ExportedEstablishment)>(count: structures.count)
        options.progress?.begin(items: structures.count)
        // Held until the manifest is written: equal schemas are kept once.
        let schemas = SchemaInterner()
        // Each establishment's own letter language travels with it.
        let languages = try hosting.registry.letterLanguages()
        var workerOptions = options
        workerOptions.shouldStop = { options.shouldStop() || work.hasFailed }
        let worker = { [workerOptions] in
            while let index = work.next() {
                let structure = structures[index]
                do {
                    try hosting.registry.acquire(.automatic(baseID: structure.baseID))
                    locked.insert(structure.baseID)
                    var result: (BundleManifest.Establishment, ExportedEstablishment)
                    let item = options.progress?.startItem(structure.displayName)
                    do {
                        result = try exportOne(
                            structure, into: writer, options: workerOptions, content: content, progress: item)
                        result.0.schema = schemas.shared(result.0.schema)
                        result.0.language = languages[structure.baseID]
                        item?.finish(outcome: "exported")
                    } catch {
                        item?.finish(outcome: "failed")
                        throw ExportError.establishmentFailed(
                            baseID: structure.baseID, name: structure.displayName,
                            reason: String(describing: error))
                    }
                    if !options.keepLocked {
                        try hosting.registry.releaseLock(baseID: structure.baseID)
                        locked.remove(structure.baseID)
                    }
                    work.store(result, at: index)
                } catch {
                    work.fail(error)
                }
            }
        }
        Concurrently.workers(min(2, structures.count), worker)
        return try work.results()
    }

    private func exportOne(
        _ structure: Structure, into writer: ArchiveWriter, options: ExportOptions, content: ExportContent,
        progress: ProgressItem?
    )
        throws -> (BundleManifest.Establishment, ExportedEstablishment)
    {
        let started = Date()
        let nomFichier = "base_\(structure.baseID)"
        var entries: [BundleManifest.Entry] = []
        var dumpWriter = DumpWriter(directory: nomFichier)
        dumpWriter.shouldStop = options.shouldStop
        dumpWriter.content = content.policy
        dumpWriter.formatVersion = content.formatVersion
        let (schemaVersion, summary) = try hosting.establishments.read(baseID: structure.baseID) { reader in
            let version = try hosting.profile.schemaVersion.read(from: reader) ?? ""
            let header =
                "Establishment \(structure.baseID) \(structure.displayName), GUID \(structure.guid.uuidString.lowercased()), schema \(version)"
            let summary = try dumpWriter.write(from: reader, header: header) { chunk in
                try writer.add(path: chunk.path, data: chunk.bytes)
                progress?.add(Int64(chunk.bytes.count))
                entries.append(.init(path: chunk.path, size: Int64(chunk.bytes.count), sha256: chunk.sha256))
            }
            return (version, summary)
        }
        var notes: [SchemaNote] = []
        var files: [BundleManifest.Entry] = []
        if options.includeFiles {
            for file in try FileTree.regularFiles(
                below: hosting.filesDirectory(baseID: structure.baseID), notes: &notes)
            {
                let path = "\(nomFichier)/files/\(file.relativePath)"
                try writer.add(path: path, file: file.url, size: file.size)
                progress?.add(file.size)
                files.append(.init(path: path, size: file.size, sha256: ""))
            }
        }
        let manifest = BundleManifest.Establishment(
            nomFichier: nomFichier, guid: structure.guid.uuidString.lowercased(), baseID: structure.baseID,
            uai: structure.uai?.rawValue, denomination: structure.denomination, schemaVersion: schemaVersion,
            tables: summary.tables, schema: summary.schema, schemaNotes: notes, entries: entries,
            dumpBytes: summary.bytes, dumpSHA256: summary.sha256, files: files)
        let exported = ExportedEstablishment(
            baseID: structure.baseID, denomination: structure.denomination, nomFichier: nomFichier,
            tables: summary.tables.count, rows: summary.rows, dumpBytes: summary.bytes, filesCount: files.count,
            filesBytes: files.map(\.size).reduce(0, +), seconds: Date().timeIntervalSince(started))
        return (manifest, exported)
    }

    private func csvRow(_ structure: Structure, _ manifest: BundleManifest.Establishment) -> CSVManifest.Row {
        CSVManifest.Row(
            idExport: structure.baseID, zoneID: structure.zoneID, localisation: structure.localisation,
            denomination: structure.denomination, uai: structure.uai?.rawValue ?? "", contactNom: structure.contactNom,
            contactPrenom: structure.contactPrenom, contactCourriel: structure.contactCourriel.rawValue,
            inscriptionDate: structure.inscriptionDate.description, nomFichier: manifest.nomFichier,
            guid: manifest.guid, schemaVersion: manifest.schemaVersion, sha256: manifest.dumpSHA256)
    }

    /// Creates the output directory, checks it is writable, and removes what killed exports left there.
    private func prepare(_ directory: URL) throws -> CreatedOutputDirectory {
        let output: CreatedOutputDirectory
        do {
            output = try CreatedOutputDirectory.create(at: directory)
        } catch {
            throw ExportError.outputNotWritable(directory.path, reason: "the directory cannot be created")
        }
        guard access(directory.path, W_OK) == 0 else {
            output.removeIfEmpty()
            throw ExportError.outputNotWritable(directory.path, reason: "it is not writable by this user")
        }
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in leftovers where name.hasPrefix(".bases_dump_") {
            guard let pid = name.split(separator: "-").last.flatMap({ Int32($0) }), kill(pid, 0) != 0 else { continue }
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            // A dead export's ZIP never became final: the CSV it had already renamed is removed with it.
            if let range = name.range(of: ".zip.partial-") {
                let csv = String(name.dropFirst()[..<range.lowerBound]) + ".csv"
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(csv))
            }
        }
        return output
    }

    /// `bases_dump_<YYYY-MM-DD_HH-MM-SS>_<random>`, as SACoche names its exports.
    static func bundleName(date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd_HH-mm-ss"
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        let random = String((0..<8).map { _ in alphabet.randomElement()! })
        return "bases_dump_\(formatter.string(from: date))_\(random)"
    }

    /// A hidden name carrying our pid, so a later export can tell a dead export's leftovers.
    static func partialURL(for url: URL) -> URL { AtomicFile.partialURL(for: url) }

    static func writeFile(_ data: Data, to url: URL) throws {
        do { try AtomicFile.writeAndSynchronize(data, to: url) } catch {
            throw ExportError.outputNotWritable(url.deletingLastPathComponent().path, reason: error.reason)
        }
    }

    /// Makes a complete file visible under its final name: owner-only, flushed to disk, renamed.
    static func commit(_ partial: URL, as final: URL) throws {
        do { try AtomicFile.commit(partial, as: final) } catch {
            throw ExportError.outputNotWritable(final.deletingLastPathComponent().path, reason: error.reason)
        }
    }
}
