import Foundation

/// The CSV and the ZIP one import page works on, under an id of its own (`/import/<id>`): either uploaded
/// through the console (both files in `console/uploads/<id>/`), or picked by name in the server's import
/// directory (the two names kept in that upload directory's `.server-pick`, checked again at every use,
/// since the directory may change in between).
struct ImportBundle: Sendable, Equatable {
    static let pickFile = ".server-pick"

    var id: String
    var csv: URL
    var zip: URL
    var uploaded: Bool

    /// `bases_dump_…` of `bases_dump_….zip`: the name the result and the receipt are given.
    var baseName: String { zip.deletingPathExtension().lastPathComponent }

    /// The bundle of `id`: its upload's files, or its pick's files in `directory`.
    static func find(id: String, uploads: UploadReceiver, directory: ImportDirectory) throws(ImportBundleError)
        -> ImportBundle
    {
        guard ConsoleJob.isWellFormed(id: id) else { throw .unknown(id: id) }
        let folder = uploads.directory(of: id)
        if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(pickFile).path) {
            let names = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
            guard names.count == 2 else { throw .unknown(id: id) }
            return ImportBundle(
                id: id, csv: try directory.file(named: names[0], kind: .csv),
                zip: try directory.file(named: names[1], kind: .zip), uploaded: false)
        }
        let files = uploads.files(of: id)
        guard !files.isEmpty else { throw .unknown(id: id) }
        guard let csv = files.first(where: { $0.pathExtension.lowercased() == "csv" }) else {
            throw .missingFile(kind: "CSV")
        }
        guard let zip = files.first(where: { $0.pathExtension.lowercased() == "zip" }) else {
            throw .missingFile(kind: "ZIP")
        }
        return ImportBundle(id: id, csv: csv, zip: zip, uploaded: true)
    }

    /// Records a pick of the import directory (both names already checked) under a new id.
    static func recordPick(csv: String, zip: String, uploads: UploadReceiver) throws -> String {
        let id = ConsoleJob.newID(now: Date())
        let folder = uploads.directory(of: id)
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let written = FileManager.default.createFile(
            atPath: folder.appendingPathComponent(pickFile).path, contents: Data("\(csv)\n\(zip)\n".utf8),
            attributes: [.posixPermissions: 0o600])
        guard written else {
            try? FileManager.default.removeItem(at: folder)
            throw CocoaError(.fileWriteUnknown)
        }
        return id
    }
}
