import Foundation

/// The bundles' files an operator copied into the server's import directory (`console.import_directory`):
/// what the verify page offers in its selects, and the only files it accepts by name. A name from a form is
/// never a path: it must be plain, and once every symbolic link is resolved the file must be a regular file
/// directly inside the (resolved) import directory — a link pointing elsewhere is refused like `../x`.
struct ServerBundleFiles: Sendable {
    let directory: URL

    /// Why a name from the form was refused.
    struct Refusal: Error, CustomStringConvertible {
        var name: String
        var reason: String
        var description: String { "'\(name)': \(reason)" }
    }

    /// The plain names of the regular files ending in `ending` (`.csv`, `.zip`), sorted.
    func names(ending: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.lowercased().hasSuffix(ending) && (try? resolve($0)) != nil }.sorted()
    }

    /// The file `name` names in the import directory, its links resolved; refused unless it is a plain name
    /// of a regular file that really lies in the directory.
    func resolve(_ name: String) throws(Refusal) -> URL {
        guard UploadName.isPlain(name) else {
            throw Refusal(name: name, reason: "not a plain file name of the import directory (no path, no hidden name)")
        }
        guard let base = Self.realPath(directory.path) else {
            throw Refusal(name: name, reason: "the import directory \(directory.path) does not exist")
        }
        guard let real = Self.realPath(directory.appendingPathComponent(name).path) else {
            throw Refusal(name: name, reason: "no such file in the import directory \(directory.path)")
        }
        let file = URL(fileURLWithPath: real)
        guard file.deletingLastPathComponent().path == base else {
            throw Refusal(name: name, reason: "it leads outside the import directory \(directory.path)")
        }
        var status = stat()
        guard stat(real, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw Refusal(name: name, reason: "not a regular file")
        }
        return file
    }

    /// The path with every symbolic link, `.` and `..` resolved; `nil` when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
