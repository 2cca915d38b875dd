import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Receives a `multipart/form-data` upload as it arrives: each file part is written straight to disk
/// (memory stays flat, whatever the size), the total is counted against `console.upload_limit_mib` and
/// refused the moment it passes — the request's `Content-Length` is checked against the limit and the
/// disk's free space before a byte is read. A refused or broken upload leaves nothing behind.
///
/// ```swift
/// let upload = try await receiver.receive(request)          // ReceivedUpload
/// let csv = upload.files["csv"], zip = upload.files["zip"]
/// ```
public struct UploadReceiver: Sendable {
    public static let relativePath = "console/uploads"
    public let root: URL
    public let limitBytes: Int64
    /// Text fields are small: a form's options, never a file's content.
    static let fieldLimit = 64 * 1024

    public init(hosting directory: URL, limitBytes: Int64) {
        self.root = directory.appendingPathComponent(Self.relativePath)
        self.limitBytes = limitBytes
    }

    public func directory(of id: String) -> URL { root.appendingPathComponent(id, isDirectory: true) }

    /// An upload received earlier, by its id (`nil` if not well formed or gone).
    public func files(of id: String) -> [URL] {
        guard ConsoleJob.isWellFormed(id: id) else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory(of: id).path)) ?? []
        return names.filter(UploadName.isPlain).sorted().map { directory(of: id).appendingPathComponent($0) }
    }

    public func receive(_ request: Request) async throws -> ReceivedUpload {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
            let boundary = Self.boundary(of: type)
        else { throw UploadError.notMultipart }
        if let declared = request.headers[.contentLength].flatMap(Int64.init) {
            guard declared <= limitBytes + 1_048_576 else { throw UploadError.tooLarge(limitBytes: limitBytes) }
            let free = Self.freeBytes(root.deletingLastPathComponent())
            if let free, declared + 64 * 1_048_576 > free {
                throw UploadError.notEnoughSpace(neededBytes: declared, freeBytes: free)
            }
        }
        // Uploads older than a day (a page closed before its import) go as new ones come: personal data.
        purge(olderThan: 86_400)
        let id = ConsoleJob.newID(now: Date())
        let directory = directory(of: id)
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let state = PartWriter(directory: directory, limitBytes: limitBytes)
        var stream = MultipartStream(boundary: boundary)
        do {
            for try await buffer in request.body {
                try stream.feed(buffer.readableBytesView) { event in
                    switch event {
                    case .headers(let fields): state.start(fields)
                    case .body(let piece): state.body(piece)
                    case .end: state.complete()
                    }
                    if let error = state.error { throw error }
                }
            }
            try stream.finish()
            guard state.finishedParts > 0 else { throw UploadError.malformed("no part was received") }
            return ReceivedUpload(
                id: id, directory: directory, files: state.files, fields: FormFields(pairs: state.fields),
                bytes: state.total)
        } catch {
            state.closeFile()
            try? FileManager.default.removeItem(at: directory)
            if let error = error as? UploadError { throw error }
            if case MultipartStreamError.malformed(let reason) = error { throw UploadError.malformed(reason) }
            throw UploadError.malformed(String(describing: error))
        }
    }

    /// Uploads older than `age` seconds (an import never finished, a page closed): removed.
    public func purge(olderThan age: TimeInterval, now: Date = Date()) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for name in names where ConsoleJob.isWellFormed(id: name) {
            let url = directory(of: name)
            let modified = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
            if let modified, now.timeIntervalSince(modified) > age { try? FileManager.default.removeItem(at: url) }
        }
    }

    static func boundary(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pieces = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, pieces[0].lowercased() == "boundary" else { continue }
            let value = pieces[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    static func freeBytes(_ url: URL) -> Int64? {
        var path = url
        while !FileManager.default.fileExists(atPath: path.path), path.pathComponents.count > 1 {
            path.deleteLastPathComponent()
        }
        var status = statvfs()
        guard statvfs(path.path, &status) == 0 else { return nil }
        return Int64(status.f_bavail) * Int64(status.f_frsize)
    }
}

/// The stream's events' state: the part being read (a field or a file being written), and what was
/// received. Used by one request's task only.
private final class PartWriter: @unchecked Sendable {
    let directory: URL
    let limitBytes: Int64
    var handle: FileHandle?
    var fieldBytes: [UInt8] = []
    var files: [String: URL] = [:]
    var fields: [(name: String, value: String)] = []
    var total: Int64 = 0
    var finishedParts = 0
    var error: UploadError?
    var fieldName: String?
    var fileURL: URL?

    init(directory: URL, limitBytes: Int64) {
        self.directory = directory
        self.limitBytes = limitBytes
    }

    /// A part begins: its `Content-Disposition` says whether it is a text field or a file, and its name.
    func start(_ fields: [String: String]) {
        guard error == nil else { return }
        let parameters = Self.parameters(fields["content-disposition"] ?? "")
        guard let name = parameters["name"], !name.isEmpty else {
            error = .malformed("a part has no name")
            return
        }
        fieldName = name
        if let filename = parameters["filename"] {
            guard !filename.isEmpty else { return }  // an empty file input: no file chosen
            guard UploadName.isPlain(filename) else {
                error = .unsafeName(filename)
                return
            }
            guard files[name] == nil else {
                error = .duplicateField(name)
                return
            }
            let url = directory.appendingPathComponent(filename)
            guard !FileManager.default.fileExists(atPath: url.path),
                FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]),
                let handle = try? FileHandle(forWritingTo: url)
            else {
                error = .malformed("two files named \(filename), or the disk refused it")
                return
            }
            self.handle = handle
            fileURL = url
            files[name] = url
        }
    }

    func body(_ piece: ArraySlice<UInt8>) {
        guard error == nil else { return }
        total += Int64(piece.count)
        guard total <= limitBytes else {
            error = .tooLarge(limitBytes: limitBytes)
            return
        }
        if let handle {
            do { try handle.write(contentsOf: piece) } catch {
                self.error = .malformed("the disk refused the file: \(error)")
            }
        } else if fileURL == nil, fieldName != nil {
            guard fieldBytes.count + piece.count <= UploadReceiver.fieldLimit else {
                error = .malformed("a text field is larger than \(UploadReceiver.fieldLimit / 1024) KiB")
                return
            }
            fieldBytes.append(contentsOf: piece)
        }
    }

    func complete() {
        if let fieldName, fileURL == nil, error == nil {
            fields.append((fieldName, String(decoding: fieldBytes, as: UTF8.self)))
        }
        closeFile()
        finishedParts += 1
        fieldBytes = []
        fieldName = nil
        fileURL = nil
    }

    func closeFile() {
        try? handle?.close()
        handle = nil
    }

    /// `form-data; name="csv"; filename="déménagement.csv"` → ["name": "csv", "filename": "déménagement.csv"].
    static func parameters(_ header: String) -> [String: String] {
        var result: [String: String] = [:]
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            result[key] = value.replacingOccurrences(of: "\\\"", with: "\"")
        }
        return result
    }
}
