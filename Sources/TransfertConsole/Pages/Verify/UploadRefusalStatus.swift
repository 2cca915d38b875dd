import HTTPTypes

/// The HTTP status a refused upload answers with: 413 past the size limit, 507 when the disk is short,
/// 400 for what the browser sent wrong (a name with a path in it, a broken form).
enum UploadRefusalStatus {
    static func status(of error: UploadError) -> HTTPResponse.Status {
        switch error {
        case .tooLarge: return .contentTooLarge
        case .notEnoughSpace: return HTTPResponse.Status(code: 507, reasonPhrase: "Insufficient Storage")
        case .notMultipart, .unsafeName, .malformed, .duplicateField: return .badRequest
        }
    }
}
