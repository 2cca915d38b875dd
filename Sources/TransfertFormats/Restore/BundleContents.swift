import Foundation
import TransfertModel

/// What a bundle's ZIP holds against what its manifest says: entries missing or unaccounted for, and
/// with `readContents`, every dump chunk and upload read once and checked (CRC-32, size, SHA-256).
struct BundleContents {
    let archive: BundleArchive

    /// Entries that no establishment of the manifest lists: a bundle holds nothing unaccounted for.
    func unreferencedEntries(manifest: BundleManifest) -> [Problem] {
        var known: Set<String> = [BundleFormat.manifestPath]
        for establishment in manifest.establishments {
            for entry in establishment.entries + establishment.files { known.insert(entry.path) }
        }
        return archive.entryOrder.filter { !known.contains($0) && !$0.hasSuffix("/") }.map {
            Problem(
                code: .bundleUnreferencedEntry,
                message:
                    "entry \($0) is in the ZIP but not in its manifest: the bundle was altered (unreferenced entry)",
                location: ProblemLocation(file: $0))
        }
    }

    /// Entries of `establishment` the ZIP lacks.
    func missingEntries(of establishment: BundleManifest.Establishment) -> [Problem] {
        (establishment.entries + establishment.files).filter { archive.entries[$0.path] == nil }
            .map {
                Problem(
                    code: .bundleReadMissingEntry, message: "entry \($0.path) is missing from the ZIP",
                    location: ProblemLocation(file: $0.path))
            }
    }

    /// Missing entries; with `readContents`, also every chunk and file that does not match its checksums.
    func problems(of establishment: BundleManifest.Establishment, readContents: Bool) -> [Problem] {
        let missing = missingEntries(of: establishment)
        guard missing.isEmpty, readContents else { return missing }
        let loader = DumpLoader(archive: archive)
        return loader.checksumProblems(of: establishment) + loader.fileProblems(of: establishment)
    }
}
