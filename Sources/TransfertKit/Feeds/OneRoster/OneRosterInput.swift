import Foundation
import TransfertFormats

/// Where a OneRoster package's files are: the directory given, or a private directory the needed
/// entries of a ZIP were inflated into by the project's own ZIP reader (its hostile-archive rules: sizes,
/// ratios and CRC-32 checked, no path taken from the archive). Removes that directory when released.
final class OneRosterInput {
    let directory: URL
    /// The prefix of file names in messages: `DIR/` or `package.zip:`.
    let prefix: String
    private let extracted: URL?

    /// The files a feed reads; other entries of a ZIP are left in it.
    static let needed = ["manifest.csv", "enrollments.csv", "classes.csv", "users.csv"]

    init(url: URL, name: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw OneRosterFileError.missingFile(file: name, reason: "no such file or directory")
        }
        if isDirectory.boolValue {
            directory = url
            prefix = name.hasSuffix("/") ? name : name + "/"
            extracted = nil
            return
        }
        let archive: BundleArchive
        do { archive = try BundleArchive(url: url) } catch {
            throw OneRosterFileError.missingFile(
                file: name,
                reason:
                    "it is neither a directory nor a readable ZIP (\(error)); give the package's directory or its ZIP")
        }
        // Two entries named alike (exactly, or once their Unicode form is set aside): which one is the
        // package's file is ambiguous.
        for twins in archive.ambiguousNames {
            if let entry = twins.first, Self.needed.contains(entry.precomposedStringWithCanonicalMapping) {
                throw OneRosterFileError.missingFile(
                    file: "\(name):\(entry)",
                    reason:
                        "the ZIP holds \(twins.count) entries named \(entry): which one is the package's is ambiguous")
            }
        }
        let target = try WorkDirectory.create(prefix: "transfert-oneroster-zip")
        do {
            for entry in Self.needed where archive.entries[entry] != nil {
                let destination = target.appendingPathComponent(entry)
                guard FileManager.default.createFile(atPath: destination.path, contents: nil),
                    let handle = try? FileHandle(forWritingTo: destination)
                else {
                    throw OneRosterFileError.missingFile(
                        file: name, reason: "\(entry) cannot be written to \(target.path)")
                }
                defer { try? handle.close() }
                try archive.stream(entry) { try handle.write(contentsOf: $0) }
            }
        } catch {
            try? FileManager.default.removeItem(at: target)
            throw error
        }
        directory = target
        prefix = name + ":"
        extracted = target
    }

    deinit {
        if let extracted { try? FileManager.default.removeItem(at: extracted) }
    }

    /// The file `name` of the package and its name in messages; refuses one that is not there.
    func file(_ name: String) throws -> OneRosterCSVFile {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw OneRosterFileError.missingFile(
                file: prefix + name,
                reason: "the package has no \(name), which the manifest declares (or Transfert needs)")
        }
        return OneRosterCSVFile(url: url, file: prefix + name)
    }
}
