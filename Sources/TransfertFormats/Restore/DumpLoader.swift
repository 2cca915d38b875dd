import Crypto
import Foundation
import TransfertModel

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

    /// Restores the dump into the (existing, empty) database `baseID` of `store`, in one transaction; the
    /// tables in `leavingOut` are created without their rows (every chunk is still read and checked).
    /// Throws ``DumpLoadError`` naming the entry and, for a refused statement, its line and column.
    ///
    /// Two threads share the work (see ``Pipeline``): one inflates, checks and parses the chunks and
    /// digests the parsed rows; the calling thread inserts them. A refusal or damage found by the first
    /// rolls back what the second inserted.
    @discardableResult
    public func restore(
        _ establishment: BundleManifest.Establishment, into store: any EstablishmentStore,
        baseID: Int64, progress: ProgressItem? = nil, leavingOut: Set<String> = []
    ) throws -> RestoredDump {
        var restored = RestoredDump()
        try store.load(baseID: baseID) { writer in
            var restorer = DumpRestorer(writer: writer, leavingOut: leavingOut)
            let parsed = try Pipeline.run(
                capacity: 2,
                produce: { send in
                    try parse(
                        establishment, progress: progress, storedValueRules: store.storedValueRules,
                        sendingTo: send)
                },
                consume: { (batch: RowBatch) in
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
    private func parse(
        _ establishment: BundleManifest.Establishment, progress: ProgressItem?,
        storedValueRules: StoredValueRules?, sendingTo send: @escaping (RowBatch) -> Bool
    ) throws -> (tables: [String], digests: [String: TableDigest]) {
        var parser = DumpParser(handler: RowBatcher(send: send))
        // A value the engine would store converted is refused as it is parsed: the digests taken from the
        // parsed rows then describe what is stored.
        parser.storedValueRules = storedValueRules
        do {
            try streamDump(of: establishment) { path in
                parser.startEntry(path)
            } feed: { data in
                progress?.add(Int64(data.count))
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
        var digests = parser.handler.digests.finished()
        // A table whose values the rules do not predict (a MySQL table on MariaDB) is proved by reading
        // it back: its parsed digest is not offered in its place.
        if let storedValueRules {
            digests = digests.filter { table, _ in
                parser.tables[table].map(storedValueRules.predictsEveryValue(of:)) ?? false
            }
        }
        return (parser.tableOrder, digests)
    }

    /// Reads every SQL chunk of `establishment` and checks it against the manifest without parsing.
    /// Returns every problem found (it goes on past a damaged chunk).
    public func checksumProblems(of establishment: BundleManifest.Establishment) -> [Problem] {
        var problems: [Problem] = []
        var dumpHasher = SHA256()
        var dumpBytes: Int64 = 0
        for entry in establishment.entries {
            do {
                let read = try archive.stream(entry.path) { data in
                    dumpHasher.update(data: data)
                    dumpBytes += Int64(data.count)
                }
                if let problem = Self.mismatch(entry, read) {
                    problems.append(Self.contentProblem(problem, entry: entry.path))
                }
            } catch {
                problems.append(Problem(error, code: .archiveDamaged, establishment: ProblemLocation(file: entry.path)))
            }
        }
        if problems.isEmpty,
            let problem = Self.dumpMismatch(establishment, bytes: dumpBytes, sha256: dumpHasher.finalize().hexString)
        {
            problems.append(
                Problem(
                    code: .archiveContent, message: problem,
                    location: ProblemLocation(establishment: establishment.nomFichier)))
        }
        return problems
    }

    /// Reads every uploaded file of `establishment` and checks its size and SHA-256.
    public func fileProblems(of establishment: BundleManifest.Establishment) -> [Problem] {
        establishment.files.compactMap { entry in
            do {
                return Self.mismatch(entry, try archive.stream(entry.path) { _ in }).map {
                    Self.contentProblem($0, entry: entry.path)
                }
            } catch {
                return Problem(error, code: .archiveDamaged, establishment: ProblemLocation(file: entry.path))
            }
        }
    }

    /// An entry whose size or SHA-256 is not the manifest's.
    static func contentProblem(_ message: String, entry: String) -> Problem {
        Problem(code: .archiveContent, message: message, location: ProblemLocation(file: entry))
    }

    /// Streams the chunks in order, checking each; a parse error caused by damaged bytes is reported as
    /// the damage (the SHA-256 tells), not as a syntax error.
    private func streamDump(
        of establishment: BundleManifest.Establishment, startEntry: (String) -> Void,
        feed: (Data) throws -> Void, finishEntry: () throws -> Void
    ) throws {
        var dumpHasher = SHA256()
        var dumpBytes: Int64 = 0
        // A dump of one chunk (every small establishment's) is that chunk: its SHA-256, computed by the
        // archive as it inflates, is the dump's, and hashing the same bytes twice is skipped.
        var singleChunk: (size: Int64, sha256: String)?
        let oneChunk = establishment.entries.count == 1
        for entry in establishment.entries {
            startEntry(entry.path)
            var refusal: DumpParseError?
            let read: (size: Int64, sha256: String)
            do {
                read = try archive.stream(entry.path) { data in
                    if !oneChunk { dumpHasher.update(data: data) }
                    dumpBytes += Int64(data.count)
                    guard refusal == nil else { return }  // keep hashing to tell damage from hostility
                    do { try feed(data) } catch let error as DumpParseError { refusal = error }
                    // Any other error (the database side stopped) ends the stream at once.
                }
            } catch let stop as RowBatcher.ConsumerStopped {
                throw stop
            } catch {
                throw DumpLoadError.damaged(String(describing: error))
            }
            if let problem = Self.mismatch(entry, read) { throw DumpLoadError.damaged(problem) }
            if oneChunk { singleChunk = read }
            if let refusal { throw DumpLoadError.refused(refusal) }
            do { try finishEntry() } catch let error as DumpParseError { throw DumpLoadError.refused(error) }
        }
        let sha256 = singleChunk?.sha256 ?? dumpHasher.finalize().hexString
        if let problem = Self.dumpMismatch(establishment, bytes: dumpBytes, sha256: sha256) {
            throw DumpLoadError.damaged(problem)
        }
    }

    static func mismatch(_ entry: BundleManifest.Entry, _ read: (size: Int64, sha256: String)) -> String? {
        if read.size != entry.size {
            return
                "entry \(entry.path) holds \(read.size) bytes where the manifest says \(entry.size): the bundle was altered"
        }
        if read.sha256 != entry.sha256 {
            return "entry \(entry.path) does not match its SHA-256 in the manifest: the data was altered or damaged"
        }
        return nil
    }

    static func dumpMismatch(_ establishment: BundleManifest.Establishment, bytes: Int64, sha256: String) -> String? {
        if bytes != establishment.dumpBytes || sha256 != establishment.dumpSHA256 {
            return
                "the dump of \(establishment.nomFichier) (all chunks together) does not match the manifest's dump_sha256"
        }
        return nil
    }
}
