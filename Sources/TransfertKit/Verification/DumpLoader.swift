import Crypto
import Foundation

/// Streams one establishment's dump out of a bundle into a database: every SQL chunk is inflated once,
/// checked (CRC-32, size, SHA-256 against the manifest) and parsed under the archive-format rules in the
/// same pass, and the parsed rows are bound as parameters. Nothing of the dump is ever executed.
///
/// Verify restores into a scratch database; import restores into the establishment's new database.
///
/// ```swift
/// let loader = DumpLoader(archive: archive)
/// try store.create(baseID: 7, schema: "")
/// let restored = try loader.restore(establishment, into: store, baseID: 7)
/// ```
public struct DumpLoader {
    public let archive: BundleArchive

    public init(archive: BundleArchive) {
        self.archive = archive
    }

    /// How many rows with a missing parent a restore describes one by one (all are counted).
    public static let reportedViolations = 20

    /// Restores the dump into the (existing, empty) database `baseID` of `store`, in one transaction.
    /// Throws ``DumpLoadError`` naming the entry and, for a refused statement, its line and column.
    ///
    /// Two threads share the work (see ``Pipeline``): one inflates, checks and parses the chunks and
    /// digests the parsed rows; the calling thread inserts them. A refusal or damage found by the first
    /// rolls back what the second inserted.
    @discardableResult
    public func restore(_ establishment: BundleManifest.Establishment, into store: any EstablishmentStore,
                        baseID: Int64) throws -> RestoredDump {
        var restored = RestoredDump()
        try store.load(baseID: baseID) { writer in
            var restorer = DumpRestorer(writer: writer)
            let parsed = try Pipeline.run(capacity: 2, produce: { send in
                try parse(establishment, sendingTo: send)
            }, consume: { (batch: RowBatch) in
                try batch.replay(into: &restorer)
            })
            // Views and triggers once every row is in; then every foreign key, checked once.
            try restorer.finish()
            restored.foreignKeys = try writer.foreignKeyViolations(limit: Self.reportedViolations)
            restored.tables = parsed.tables
            restored.streamedDigests = parsed.digests
            restored.rowCounts = restorer.rowCounts
        }
        return restored
    }

    /// The producing half of ``restore(_:into:baseID:)``: streams, checks and parses every chunk,
    /// sending the parsed statements in batches.
    private func parse(_ establishment: BundleManifest.Establishment,
                       sendingTo send: @escaping (RowBatch) -> Bool) throws -> (tables: [String], digests: [String: TableDigest]) {
        var parser = DumpParser(handler: RowBatcher(send: send))
        do {
            try streamDump(of: establishment) { path in
                parser.startEntry(path)
            } feed: { data in
                try parser.feed(data)
            } finishEntry: {
                try parser.finishEntry()
            }
            try parser.finish()
            try parser.handler.flush()
        } catch let error as DumpParseError {
            throw DumpLoadError.refused(error)
        } catch is RowBatcher.ConsumerStopped {
            // The database side failed; its error is the one reported.
        }
        return (parser.tableOrder, parser.handler.digests.finished())
    }

    /// Reads every SQL chunk of `establishment` and checks it against the manifest without parsing.
    /// Returns every problem found (it goes on past a damaged chunk).
    public func checksumProblems(of establishment: BundleManifest.Establishment) -> [String] {
        var problems: [String] = []
        var dumpHasher = SHA256()
        var dumpBytes: Int64 = 0
        for entry in establishment.entries {
            do {
                let read = try archive.stream(entry.path) { data in
                    dumpHasher.update(data: data)
                    dumpBytes += Int64(data.count)
                }
                if let problem = Self.mismatch(entry, read) { problems.append(problem) }
            } catch {
                problems.append(String(describing: error))
            }
        }
        if problems.isEmpty, let problem = Self.dumpMismatch(establishment, bytes: dumpBytes, sha256: dumpHasher.finalize().hexString) {
            problems.append(problem)
        }
        return problems
    }

    /// Reads every uploaded file of `establishment` and checks its size and SHA-256.
    public func fileProblems(of establishment: BundleManifest.Establishment) -> [String] {
        establishment.files.compactMap { entry in
            do {
                return Self.mismatch(entry, try archive.stream(entry.path) { _ in })
            } catch {
                return String(describing: error)
            }
        }
    }

    /// Streams the chunks in order, checking each; a parse error caused by damaged bytes is reported as
    /// the damage (the SHA-256 tells), not as a syntax error.
    private func streamDump(of establishment: BundleManifest.Establishment, startEntry: (String) -> Void,
                            feed: (Data) throws -> Void, finishEntry: () throws -> Void) throws {
        var dumpHasher = SHA256()
        var dumpBytes: Int64 = 0
        for entry in establishment.entries {
            startEntry(entry.path)
            var refusal: DumpParseError?
            let read: (size: Int64, sha256: String)
            do {
                read = try archive.stream(entry.path) { data in
                    dumpHasher.update(data: data)
                    dumpBytes += Int64(data.count)
                    guard refusal == nil else { return } // keep hashing to tell damage from hostility
                    do { try feed(data) } catch let error as DumpParseError { refusal = error }
                    // Any other error (the database side stopped) ends the stream at once.
                }
            } catch let stop as RowBatcher.ConsumerStopped {
                throw stop
            } catch {
                throw DumpLoadError.damaged(String(describing: error))
            }
            if let problem = Self.mismatch(entry, read) { throw DumpLoadError.damaged(problem) }
            if let refusal { throw DumpLoadError.refused(refusal) }
            do { try finishEntry() } catch let error as DumpParseError { throw DumpLoadError.refused(error) }
        }
        if let problem = Self.dumpMismatch(establishment, bytes: dumpBytes, sha256: dumpHasher.finalize().hexString) {
            throw DumpLoadError.damaged(problem)
        }
    }

    static func mismatch(_ entry: BundleManifest.Entry, _ read: (size: Int64, sha256: String)) -> String? {
        if read.size != entry.size {
            return "entry \(entry.path) holds \(read.size) bytes where the manifest says \(entry.size): the bundle was altered"
        }
        if read.sha256 != entry.sha256 {
            return "entry \(entry.path) does not match its SHA-256 in the manifest: the data was altered or damaged"
        }
        return nil
    }

    static func dumpMismatch(_ establishment: BundleManifest.Establishment, bytes: Int64, sha256: String) -> String? {
        if bytes != establishment.dumpBytes || sha256 != establishment.dumpSHA256 {
            return "the dump of \(establishment.nomFichier) (all chunks together) does not match the manifest's dump_sha256"
        }
        return nil
    }
}

/// What a restore created.
public struct RestoredDump: Sendable, Equatable {
    /// Tables, in the dump's order.
    public var tables: [String] = []
    /// Rows inserted per table.
    public var rowCounts: [String: Int64] = [:]
    /// Digests of the rows as they were parsed, for the tables whose dump is in canonical form (see
    /// `StreamedDigests`); the other tables must be read back to be digested.
    public var streamedDigests: [String: TableDigest] = [:]
    /// Rows whose foreign key points at no parent, found once the rows were in (the checks are deferred
    /// during a restore).
    public var foreignKeys = ForeignKeyCheck()
    public var rows: Int64 { rowCounts.values.reduce(0, +) }
}

extension RestoredDump {
    /// How the restored database `reader` differs from the manifest's `expected` tables, in words.
    ///
    /// Row counts are always counted in the database. Content digests come from the parse
    /// (``streamedDigests``) when they match the manifest — the values that were parsed are the source's
    /// values, and each one was bound as a parameter — and are read back from the database otherwise
    /// (a dump not in canonical form, or a real difference, which the read-back then names).
    public func differences(from expected: [TableDigest], in reader: any EstablishmentReader) throws -> [String] {
        let expectedByName = Dictionary(expected.map { ($0.table, $0) }, uniquingKeysWith: { first, _ in first })
        var actual: [TableDigest] = []
        for table in try reader.tableNames() {
            let counted = try reader.rowCount(of: table)
            if let streamed = streamedDigests[table], streamed.rows == counted,
               let wanted = expectedByName[table], wanted.sha256 == streamed.sha256 {
                actual.append(streamed)
            } else {
                actual.append(try reader.tableDigest(table))
            }
        }
        return DigestComparison.differences(expected: expected, actual: actual, actualLabel: "the restored database")
    }
}

/// Why a dump could not be restored.
public enum DumpLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not the ones the manifest describes (or the ZIP is damaged).
    case damaged(String)
    /// The dump holds something the archive format does not allow, at a position.
    case refused(DumpParseError)

    public var description: String {
        switch self {
        case .damaged(let reason): return reason
        case .refused(let error): return "refused: \(error)"
        }
    }
}

/// Compares row counts and content digests, table by table.
public enum DigestComparison {
    /// Every difference between `expected` (the bundle) and `actual` (a database), in words naming the table.
    /// `actualLabel` says what `actual` is ("the restored copy", "the live database").
    public static func differences(expected: [TableDigest], actual: [TableDigest], actualLabel: String) -> [String] {
        var problems: [String] = []
        let actualByName = Dictionary(actual.map { ($0.table, $0) }, uniquingKeysWith: { first, _ in first })
        let expectedNames = Set(expected.map(\.table))
        for table in expected {
            guard let found = actualByName[table.table] else {
                problems.append("table \(table.table) is missing from \(actualLabel)")
                continue
            }
            if found.rows != table.rows {
                problems.append("table \(table.table) has \(found.rows) rows in \(actualLabel) where the bundle has \(table.rows)")
            } else if found.sha256 != table.sha256 {
                problems.append("table \(table.table) differs between \(actualLabel) and the bundle (same \(table.rows) rows, different content digest)")
            }
        }
        for table in actual where !expectedNames.contains(table.table) {
            problems.append("table \(table.table) is in \(actualLabel) but not in the bundle")
        }
        return problems
    }

    /// Differences between the uploads recorded in the bundle and the files in `directory`.
    static func fileDifferences(expected: [BundleManifest.Entry], prefix: String, directory: URL, label: String) throws -> [String] {
        var problems: [String] = []
        let actual = Dictionary(try FileTree.digests(of: directory).map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        for entry in expected {
            let relative = String(entry.path.dropFirst(prefix.count))
            seen.insert(relative)
            guard let file = actual[relative] else {
                problems.append("file \(relative) is missing from \(label)")
                continue
            }
            if file.size != entry.size || file.sha256 != entry.sha256 {
                problems.append("file \(relative) differs between \(label) and the bundle")
            }
        }
        for path in actual.keys.sorted() where !seen.contains(path) {
            problems.append("file \(path) is in \(label) but not in the bundle")
        }
        return problems
    }
}
