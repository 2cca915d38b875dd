import Foundation

/// What a browser uploaded: its files, each on disk under its plain name in the upload's own directory
/// (`console/uploads/<id>/`), and its text fields.
public struct ReceivedUpload: Sendable {
    public var id: String
    public var directory: URL
    /// Field name → the file written for it.
    public var files: [String: URL]
    public var fields: FormFields
    public var bytes: Int64
}
