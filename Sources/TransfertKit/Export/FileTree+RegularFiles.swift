import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

extension FileTree {
    struct RegularFile {
        var url: URL
        var relativePath: String
        var size: Int64
    }

    /// Regular files below `directory`, sorted by relative path. Symbolic links are not followed (they
    /// could point outside the establishment): each one is noted and left out.
    static func regularFiles(below directory: URL, notes: inout [SchemaNote]) throws -> [RegularFile] {
        guard FileManager.default.fileExists(atPath: directory.path),
            let enumerator = FileManager.default.enumerator(
                at: directory, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey, .fileSizeKey])
        else { return [] }
        let rootPath = directory.standardizedFileURL.path
        var files: [RegularFile] = []
        for case let url as URL in enumerator {
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey, .fileSizeKey])
            let relative = String(url.standardizedFileURL.path.dropFirst(rootPath.count + 1))
            if values.isSymbolicLink == true {
                notes.append(SchemaNote(table: "files", note: "\(relative) is a symbolic link and was left out"))
                continue
            }
            guard values.isRegularFile == true else { continue }
            files.append(RegularFile(url: url, relativePath: relative, size: Int64(values.fileSize ?? 0)))
        }
        return files.sorted { $0.relativePath < $1.relativePath }
    }
}
