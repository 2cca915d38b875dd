/// Why an upload was refused. Nothing of a refused upload stays on disk.
public enum UploadError: Error, Equatable, CustomStringConvertible {
    case notMultipart
    case tooLarge(limitBytes: Int64)
    case notEnoughSpace(neededBytes: Int64, freeBytes: Int64)
    case unsafeName(String)
    case malformed(String)
    case duplicateField(String)

    public var description: String {
        switch self {
        case .notMultipart:
            return "the upload is not a multipart/form-data form: send it from the console's page"
        case .tooLarge(let limit):
            return
                "the upload is larger than the console accepts (\(limit / 1_048_576) MiB, console.upload_limit_mib in transfert.yaml): copy the files into the server's import directory instead"
        case .notEnoughSpace(let needed, let free):
            return
                "the hosting's disk has \(free / 1_048_576) MiB free, the upload needs \(needed / 1_048_576) MiB: free some space first"
        case .unsafeName(let name):
            return
                "the file name '\(name)' is not a plain file name (a path, a hidden name, or unusual characters): rename the file and upload it again"
        case .malformed(let reason):
            return "the upload could not be read (\(reason)): send it again from the console's page"
        case .duplicateField(let name):
            return "the form sent two files for '\(name)': choose one"
        }
    }
}
