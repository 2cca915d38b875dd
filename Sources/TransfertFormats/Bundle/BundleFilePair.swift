import Foundation
import TransfertModel

/// The two files of a bundle as an operator types them — the CSV manifest first, then the ZIP — checked by
/// their content before anything reads them, so that a slip of the fingers is named as such rather than
/// reported as a damaged ZIP or a CSV full of binary: the pair swapped, one file given twice, or a ZIP where
/// the CSV goes.
///
/// ```swift
/// try BundleFilePair.check(csv: URL(fileURLWithPath: "b.zip"), zip: URL(fileURLWithPath: "b.csv"))
/// // BundleFilePairError.swapped: "the arguments are swapped: CSV first, then ZIP …"
/// ```
public enum BundleFilePair {
    /// Whether the file starts like a ZIP archive; `false` when it cannot be read (its reader says why).
    public static func startsLikeZIP(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4) else { return false }
        return ZIPSignature.startsArchive(head)
    }

    /// Refuses the pair when the files are swapped, the same file, or a ZIP stands where the CSV goes; else
    /// returns and lets the readers judge each file. `command` is how the message shows the right order (`transfert import`).
    public static func check(csv: URL, zip: URL, command: String = "transfert import") throws(BundleFilePairError) {
        if sameFile(csv, zip) { throw .sameFile(csv.path, command: command) }
        guard startsLikeZIP(csv) else { return }
        // A ZIP where the CSV goes: the pair swapped when a readable non-ZIP stands where the ZIP goes.
        if FileManager.default.isReadableFile(atPath: zip.path) && !startsLikeZIP(zip) {
            throw .swapped(csv: csv.path, zip: zip.path, command: command)
        }
        throw .zipInsteadOfManifest(csv.path, command: command)
    }

    /// The same file under two names (a path typed twice, a link, `./` before one of them).
    static func sameFile(_ a: URL, _ b: URL) -> Bool {
        if a.standardizedFileURL.resolvingSymlinksInPath().path == b.standardizedFileURL.resolvingSymlinksInPath().path
        {
            return true
        }
        var first = stat()
        var second = stat()
        guard stat(a.path, &first) == 0, stat(b.path, &second) == 0 else { return false }
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }
}
