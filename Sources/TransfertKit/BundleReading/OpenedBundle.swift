import Foundation

/// A bundle opened for reading — by `verify` and `import` alike: what could be read of it, and the
/// problems met on the way. Nothing of a hostile archive is inflated here: entry names and sizes are
/// checked first, and only the manifest is read.
struct OpenedBundle {
    var csv: ReadManifest?
    /// `nil` when the ZIP is unreadable, unsafe, or its manifest is: nothing more is read then.
    var archive: BundleArchive?
    var manifest: BundleManifest?
    /// The CSV that does not read, a ZIP that does not open, unsafe or unreferenced entries, a bad manifest.
    var problems: [String] = []

    /// Reads the CSV and the ZIP's directory and manifest.
    static func open(csv: URL, zip: URL) -> OpenedBundle {
        var opened = OpenedBundle()
        do {
            opened.csv = try CSVManifestReader.read(contentsOf: csv)
        } catch {
            opened.problems.append(error.description)
        }
        do {
            let archive = try BundleArchive(url: zip)
            let unsafe = archive.safetyProblems()
            guard unsafe.isEmpty else {
                opened.problems += unsafe
                return opened
            }
            let manifest = try archive.manifest()
            opened.problems += BundleContents(archive: archive).unreferencedEntries(manifest: manifest)
            opened.archive = archive
            opened.manifest = manifest
        } catch {
            opened.problems.append(error.description)
        }
        return opened
    }
}
