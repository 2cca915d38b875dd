import Foundation
import TransfertModel

/// A bundle opened for reading — by `inspect`, `verify` and `import` alike — whichever its format: the
/// CSV, the ``BundleSource`` that reads the ZIP, and the problems met on the way. Nothing of a hostile
/// archive is inflated before its entry names and sizes are checked.
package struct OpenedBundle {
    package var csv: ReadManifest?
    /// `nil` when the ZIP is unreadable, unsafe, or its manifest is: nothing more is read then.
    package var source: (any BundleSource)?
    package var manifest: BundleManifest? { source?.manifest }
    /// The CSV that does not read, a ZIP that does not open, unsafe or unreferenced entries, a bad manifest:
    /// each with its code and place (the CSV's line, the ZIP's entry).
    package var problems: [Problem] = []

    /// Reads the CSV and the ZIP: its directory and manifest, or, for a SACoche bundle (no manifest, ZIPs
    /// inside), every base the CSV names.
    package static func open(csv: URL?, zip: URL, sacocheDigests: SACocheDigests? = nil) -> OpenedBundle {
        var opened = OpenedBundle()
        if let csv {
            do {
                opened.csv = try CSVManifestReader.read(contentsOf: csv)
            } catch {
                opened.problems.append(
                    Problem(error, code: .csvUnreadable, establishment: ProblemLocation(file: csv.path)))
            }
        }
        do {
            let archive = try BundleArchive(url: zip)
            let unsafe = archive.safetyProblems()
            guard unsafe.isEmpty else {
                opened.problems += unsafe
                return opened
            }
            if SACocheBundle.hasSACocheShape(archive) {
                let source = SACocheBundleSource(
                    bundle: try SACocheBundle(archive: archive),
                    bundleName: zip.deletingPathExtension().lastPathComponent,
                    csv: opened.csv, digests: sacocheDigests)
                opened.problems += source.bundleProblems
                opened.source = source
            } else {
                let source = TransfertBundleSource(archive: archive, manifest: try archive.manifest())
                opened.problems += source.bundleProblems
                opened.source = source
            }
        } catch {
            opened.problems.append(
                Problem(error, code: .bundleUnreadable, establishment: ProblemLocation(file: zip.path)))
        }
        return opened
    }
}
