import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The backup directory of a hosting (`backup.directory`): one folder per ``BackupArea``, each backup a
/// CSV, a ZIP and its ``BackupRecord`` (`<name>.backup.json`). Created owner-only (0700); every file in it
/// is 0600.
public struct BackupDirectory: Sendable {
    public static let recordSuffix = ".backup.json"
    public static let lockFileName = ".backup.lock"

    public let url: URL

    public init(url: URL) {
        self.url = url
    }

    public init(hosting: Hosting) {
        self.init(url: hosting.configuration.backupSettings.directoryURL(hosting: hosting.directory))
    }

    public func areaURL(_ area: BackupArea) -> URL { url.appendingPathComponent(area.rawValue) }

    /// Creates the directory and its areas, owner-only, and checks they can be written.
    public func prepare() throws {
        for directory in [url] + BackupArea.allCases.map(areaURL) {
            do {
                try FileManager.default.createDirectory(
                    at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw BackupError.directoryUnusable(path: directory.path, reason: error.localizedDescription)
            }
            guard access(directory.path, W_OK | X_OK) == 0 else {
                throw BackupError.directoryUnusable(path: directory.path, reason: "it is not writable by this user")
            }
        }
    }

    /// The three files of backup `name` in `area`.
    public func files(of name: String, in area: BackupArea) -> (csv: URL, zip: URL, record: URL) {
        let folder = areaURL(area)
        return (
            folder.appendingPathComponent(name + ".csv"), folder.appendingPathComponent(name + ".zip"),
            folder.appendingPathComponent(name + Self.recordSuffix)
        )
    }

    /// Every backup's record, newest first, and the record files that could not be read (named, never
    /// skipped silently). A directory that does not exist yet holds none.
    public func records() -> (records: [BackupRecord], unreadable: [String]) {
        var records: [BackupRecord] = []
        var unreadable: [String] = []
        let decoder = JSONDecoder()
        for area in BackupArea.allCases {
            let folder = areaURL(area)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() where name.hasSuffix(Self.recordSuffix) && !name.hasPrefix(".") {
                let file = folder.appendingPathComponent(name)
                // A layout this version does not know (a newer one's) is named, never half-read.
                guard let data = try? Data(contentsOf: file),
                    let record = try? decoder.decode(BackupRecord.self, from: data), record.format == 1
                else {
                    unreadable.append(file.path)
                    continue
                }
                records.append(Self.checkingFiles(record, files: files(of: record.name, in: area)))
            }
        }
        return (Self.newestFirst(records), unreadable)
    }

    /// `record` as it stands on disk: a backup whose CSV or ZIP is gone (deleted by hand, a disk error) can
    /// bring nothing back, so it is shown as failed with the reason and never counts as the last good one.
    static func checkingFiles(_ record: BackupRecord, files: (csv: URL, zip: URL, record: URL)) -> BackupRecord {
        let missing = [files.csv, files.zip].filter { !FileManager.default.fileExists(atPath: $0.path) }
        guard !missing.isEmpty else { return record }
        var checked = record
        checked.verification.verdict = .failed
        checked.verification.problems.append(
            "\(missing.map(\.lastPathComponent).joined(separator: " and ")) missing: this backup cannot be restored")
        return checked
    }

    /// Newest first; equal times by name, so the order never depends on the file system.
    static func newestFirst(_ records: [BackupRecord]) -> [BackupRecord] {
        // Each date parsed once, not at every comparison.
        let dated: [(record: BackupRecord, date: Date)] = records.map { ($0, $0.createdDate ?? .distantPast) }
        let sorted = dated.sorted {
            (a: (record: BackupRecord, date: Date), b: (record: BackupRecord, date: Date)) -> Bool in
            a.date != b.date ? a.date > b.date : a.record.name > b.record.name
        }
        return sorted.map(\.record)
    }

    /// Writes `record` beside its bundle, atomically and owner-only.
    public func write(_ record: BackupRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            try AtomicFile.write(try encoder.encode(record), to: files(of: record.name, in: record.area).record)
        } catch {
            throw BackupError.directoryUnusable(path: areaURL(record.area).path, reason: String(describing: error))
        }
    }

    /// Deletes a backup: its record first, so that a removal cut short leaves bundle files without a record
    /// (cleaned by `prune` as leftovers), never a record whose bundle is half gone.
    public func remove(_ record: BackupRecord) throws {
        let files = files(of: record.name, in: record.area)
        for file in [files.record, files.zip, files.csv] where FileManager.default.fileExists(atPath: file.path) {
            try FileManager.default.removeItem(at: file)
        }
    }

    /// Whether `name` is used in `area` by a backup, a bundle file or a reservation.
    func isTaken(_ name: String, in area: BackupArea) -> Bool {
        let files = files(of: name, in: area)
        return [files.csv, files.zip, files.record, reservationURL(name, in: area)].contains {
            FileManager.default.fileExists(atPath: $0.path)
        }
    }

    /// The hidden file that reserves `name` while its backup is written (created with `O_EXCL`: two
    /// processes choosing a name in the same minute never both get it).
    func reservationURL(_ name: String, in area: BackupArea) -> URL {
        areaURL(area).appendingPathComponent(".\(name).reserved")
    }

    /// Reserves a free name: the base name, else with `-2`, `-3`….
    func reserveName(in area: BackupArea, candidates: (_ isTaken: (String) -> Bool) -> String) throws -> String {
        for _ in 0..<1_000 {
            let name = candidates { isTaken($0, in: area) }
            let descriptor = open(reservationURL(name, in: area).path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            if descriptor >= 0 {
                let pid = Data("\(getpid())\n".utf8)
                _ = pid.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
                close(descriptor)
                return name
            }
            guard errno == EEXIST else {
                throw BackupError.directoryUnusable(path: areaURL(area).path, reason: String(cString: strerror(errno)))
            }
        }
        throw BackupError.directoryUnusable(path: areaURL(area).path, reason: "no free backup name in this minute")
    }

    func releaseName(_ name: String, in area: BackupArea) {
        try? FileManager.default.removeItem(at: reservationURL(name, in: area))
    }
}
