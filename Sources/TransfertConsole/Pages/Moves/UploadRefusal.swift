import HTTPTypes

/// An upload the console refused before any command saw it (a path for a name, too large, not a form),
/// shown like a command's refusal — the same box, its reason — with the HTTP status that says why.
enum UploadRefusal {
    static func error(_ error: UploadError) -> CommandError {
        let code: String
        switch error {
        case .notMultipart: code = "not_multipart"
        case .tooLarge: code = "upload_too_large"
        case .notEnoughSpace: code = "not_enough_space"
        case .unsafeName: code = "unsafe_name"
        case .malformed: code = "malformed_upload"
        case .duplicateField: code = "duplicate_field"
        }
        return CommandError(code: code, message: error.description, exitCode: 1, location: nil, problems: nil)
    }

    static func status(_ error: UploadError) -> HTTPResponse.Status {
        switch error {
        case .tooLarge: return .contentTooLarge
        case .notEnoughSpace: return HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
        default: return .badRequest
        }
    }
}
