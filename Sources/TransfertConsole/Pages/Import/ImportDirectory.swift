import Foundation

/// The server's import directory (`console.import_directory` of transfert.yaml, default `<hosting>/import`):
/// where an operator copies a bundle too large to upload. A page may only name a file in it by its plain
/// name; the file must be a regular file directly in that directory once every symbolic link is resolved,
/// so `../transfert.yaml`, `sub/x.csv` or a link pointing out of the directory are all refused.
struct ImportDirectory: Sendable {
    /// What a name must end with: the CSV manifest or the ZIP of dumps.
    enum Kind: String, Sendable {
        case csv
        case zip
    }

    let url: URL

    /// The plain names of the directory's regular files of `kind`, sorted (nothing when the directory is absent).
    func names(_ kind: Kind) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.filter { (try? file(named: $0, kind: kind)) != nil }.sorted()
    }

    /// The file `name` of the directory, or why it cannot be used.
    func file(named name: String, kind: Kind) throws(ImportBundleError) -> URL {
        guard UploadName.isPlain(name), name.lowercased().hasSuffix(".\(kind.rawValue)") else {
            throw .notInImportDirectory(name: name, directory: url.path)
        }
        let resolvedDirectory = url.resolvingSymlinksInPath().standardizedFileURL
        let resolved = url.appendingPathComponent(name).resolvingSymlinksInPath().standardizedFileURL
        var status = stat()
        guard resolved.deletingLastPathComponent().path == resolvedDirectory.path,
            stat(resolved.path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG
        else { throw .notInImportDirectory(name: name, directory: url.path) }
        return resolved
    }
}
