/// Why the import pages cannot use a bundle: said to a person, with what to do.
enum ImportBundleError: Error, Equatable, CustomStringConvertible {
    /// A name given for the server's import directory that is not a regular file directly in it.
    case notInImportDirectory(name: String, directory: String)
    /// An upload that did not carry one CSV and one ZIP.
    case missingFile(kind: String)
    /// An upload (or a pick) whose id is unknown, or whose files are gone.
    case unknown(id: String)

    var description: String {
        switch self {
        case .notInImportDirectory(let name, let directory):
            return
                "'\(name)' is not a .csv or .zip file of the server's import directory \(directory): choose one of the files listed"
        case .missingFile(let kind):
            return "the upload has no \(kind) file: choose both the CSV manifest and the ZIP of dumps"
        case .unknown(let id):
            return "there is no uploaded bundle '\(id)' (it may have been cleaned up): upload the files again"
        }
    }
}
