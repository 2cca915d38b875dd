import Foundation
import TransfertModel

/// The formats a bundle may be in.
public enum BundleKind: String, Codable, Sendable {
    /// Transfert's own: a `manifest.json` with checksums and digests (`Docs/archive-format.md`).
    case transfert
    /// SACoche's: a ZIP of per-base ZIPs of MySQL dumps, no manifest (`Docs/sacoche.md`).
    case sacoche
}

/// What `inspect`, `verify` and `import` need of a bundle, whichever its format: its contents described
/// as a ``BundleManifest`` (read, or built by reading a SACoche bundle through), the problems of each
/// establishment's entries, and its restore. Each format is read by one implementation; the commands do
/// not branch on the format.
public protocol BundleSource: AnyObject {
    var kind: BundleKind { get }
    var manifest: BundleManifest { get }
    /// Problems with the ZIP's entries as a whole (entries nothing refers to…), each naming its entry.
    var bundleProblems: [Problem] { get }
    /// What is missing or damaged in `establishment`'s entries, each naming its entry when it has one; with
    /// `readContents`, every byte is read and checked now (an import checks them while it restores instead).
    func contentProblems(of establishment: BundleManifest.Establishment, readContents: Bool) -> [Problem]
    /// Restores `establishment`'s dump into the existing, empty database `baseID` of `store`, adding the
    /// dump bytes read to `progress` as it goes. The tables in `leavingOut` are created but get none of
    /// their rows (a restore `--without` a content category): the caller leaves their digests unchecked.
    func restore(
        _ establishment: BundleManifest.Establishment, into store: any EstablishmentStore, baseID: Int64,
        progress: ProgressItem?, leavingOut: Set<String>
    ) throws -> RestoredDump
    /// Writes `establishment`'s uploaded files into `directory` (which must not exist).
    func restoreFiles(_ establishment: BundleManifest.Establishment, into directory: URL) throws
    /// Reads `establishment`'s uploaded files and checks them (a restore checks the dump itself).
    func fileProblems(of establishment: BundleManifest.Establishment) -> [Problem]
    /// Facts about `establishment` that a result should show (not problems).
    func notes(of establishment: BundleManifest.Establishment) -> [String]
}

extension BundleSource {
    public func restore(
        _ establishment: BundleManifest.Establishment, into store: any EstablishmentStore, baseID: Int64,
        progress: ProgressItem?
    ) throws -> RestoredDump {
        try restore(establishment, into: store, baseID: baseID, progress: progress, leavingOut: [])
    }
    public func restore(
        _ establishment: BundleManifest.Establishment, into store: any EstablishmentStore, baseID: Int64
    ) throws -> RestoredDump {
        try restore(establishment, into: store, baseID: baseID, progress: nil)
    }
    public func notes(of establishment: BundleManifest.Establishment) -> [String] { [] }
    public func fileProblems(of establishment: BundleManifest.Establishment) -> [Problem] { [] }
}

/// A Transfert bundle: the ZIP and its manifest.
final class TransfertBundleSource: BundleSource {
    let archive: BundleArchive
    let manifest: BundleManifest
    let bundleProblems: [Problem]
    var kind: BundleKind { .transfert }

    init(archive: BundleArchive, manifest: BundleManifest) {
        self.archive = archive
        self.manifest = manifest
        bundleProblems = BundleContents(archive: archive).unreferencedEntries(manifest: manifest)
    }

    func contentProblems(of establishment: BundleManifest.Establishment, readContents: Bool) -> [Problem] {
        BundleContents(archive: archive).problems(of: establishment, readContents: readContents)
    }

    func restore(
        _ establishment: BundleManifest.Establishment, into store: any EstablishmentStore, baseID: Int64,
        progress: ProgressItem?, leavingOut: Set<String>
    ) throws -> RestoredDump {
        try DumpLoader(archive: archive).restore(
            establishment, into: store, baseID: baseID, progress: progress, leavingOut: leavingOut)
    }

    func fileProblems(of establishment: BundleManifest.Establishment) -> [Problem] {
        DumpLoader(archive: archive).fileProblems(of: establishment)
    }

    func restoreFiles(_ establishment: BundleManifest.Establishment, into directory: URL) throws {
        try FileRestorer(archive: archive).restore(
            establishment.files, prefix: "\(establishment.nomFichier)/files/", into: directory)
    }
}
