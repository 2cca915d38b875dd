import Foundation
import TransfertModel

/// Checks what `JSONDecoder` cannot: that every number of a decoded `manifest.json` is one an export
/// writes, that the sums readers make of them fit in 64 bits (so no total, progress line or summary can
/// overflow), and that every name is exactly the format's (`Docs/archive-format.md` §2):
///
/// - `nom_fichier` is `base_<base_id>`, `base_id` a positive integer;
/// - a dump chunk is `base_<id>/NNNNNN.sql` (six digits or more);
/// - an upload is `base_<id>/files/<path>`, each component of `<path>` a plain name: not empty, not `.`
///   or `..`, no `\`, no control character.
///
/// The ZIP reader refuses unsafe *entry* names on its own; this refuses a manifest that names anything
/// else, so a name like `base_1/files/../../x` is never even looked up.
enum ManifestValidator {
    static func check(_ manifest: BundleManifest) throws(ManifestValueError) {
        var totals = Totals()
        for (index, establishment) in manifest.establishments.enumerated() {
            try check(establishment, at: index, totals: &totals)
        }
    }

    /// The sums over all establishments that verify, import and inspect make.
    struct Totals {
        var rows: Int64 = 0
        var dumpBytes: Int64 = 0
        var filesBytes: Int64 = 0
        var contentBytes: Int64 = 0
    }

    private static func check(_ establishment: BundleManifest.Establishment, at index: Int, totals: inout Totals)
        throws(ManifestValueError)
    {
        let folder = establishment.nomFichier
        var label = "establishments[\(index)]"
        func refuse(_ field: String, _ value: String, _ message: String) -> ManifestValueError {
            ManifestValueError(establishment: label, field: field, value: value, message: message)
        }
        guard establishment.baseID > 0 else {
            throw refuse("base_id", String(establishment.baseID), "an establishment id is a positive integer")
        }
        guard folder == "base_\(establishment.baseID)" else {
            throw refuse(
                "nom_fichier", folder,
                "the folder of establishment \(establishment.baseID) is named base_\(establishment.baseID), nothing else"
            )
        }
        label = folder

        func nonNegative(_ value: Int64, _ field: String, _ what: String) throws(ManifestValueError) {
            guard value >= 0 else { throw refuse(field, String(value), "\(what) cannot be negative") }
        }
        func add(_ value: Int64, to sum: inout Int64, _ field: String, _ what: String) throws(ManifestValueError) {
            let (result, overflow) = sum.addingReportingOverflow(value)
            guard !overflow else {
                throw refuse(field, String(value), "\(what) add up to more than \(Int64.max), which no bundle holds")
            }
            sum = result
        }

        try nonNegative(establishment.dumpBytes, "dump_bytes", "a size")
        var rows: Int64 = 0
        for (t, table) in establishment.tables.enumerated() {
            try nonNegative(table.rows, "tables[\(t)].rows", "a row count")
            try add(table.rows, to: &rows, "tables[\(t)].rows", "the row counts")
        }
        var chunkBytes: Int64 = 0
        for (e, entry) in establishment.entries.enumerated() {
            try nonNegative(entry.size, "entries[\(e)].size", "a size")
            try add(entry.size, to: &chunkBytes, "entries[\(e)].size", "the chunk sizes")
            guard isChunkPath(entry.path, folder: folder) else {
                throw refuse(
                    "entries[\(e)].path", entry.path, "a dump chunk is named \(folder)/NNNNNN.sql (six digits or more)")
            }
        }
        var filesBytes: Int64 = 0
        for (f, file) in establishment.files.enumerated() {
            try nonNegative(file.size, "files[\(f)].size", "a size")
            try add(file.size, to: &filesBytes, "files[\(f)].size", "the upload sizes")
            if let problem = uploadPathProblem(file.path, folder: folder) {
                throw refuse("files[\(f)].path", file.path, problem)
            }
        }
        var content = establishment.dumpBytes
        try add(filesBytes, to: &content, "dump_bytes", "the dump and upload sizes")
        try add(rows, to: &totals.rows, "tables", "the row counts of the bundle's establishments")
        try add(
            establishment.dumpBytes, to: &totals.dumpBytes, "dump_bytes",
            "the dump sizes of the bundle's establishments")
        try add(filesBytes, to: &totals.filesBytes, "files", "the upload sizes of the bundle's establishments")
        try add(
            content, to: &totals.contentBytes, "dump_bytes", "the dump and upload sizes of the bundle's establishments")
    }

    /// `base_<id>/NNNNNN.sql`: what ``DumpWriter`` names its chunks.
    static func isChunkPath(_ path: String, folder: String) -> Bool {
        guard path.hasPrefix(folder + "/"), path.hasSuffix(".sql") else { return false }
        let digits = path.utf8.dropFirst(folder.utf8.count + 1).dropLast(4)
        return digits.count >= 6 && digits.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// Why `path` is not `base_<id>/files/<plain components>`, or `nil` when it is.
    static func uploadPathProblem(_ path: String, folder: String) -> String? {
        let prefix = folder + "/files/"
        guard path.hasPrefix(prefix) else { return "an upload is stored under \(prefix)" }
        let relative = path.dropFirst(prefix.count)
        let components = relative.split(separator: "/", omittingEmptySubsequences: false)
        if components.contains(where: { $0.isEmpty }) { return "an upload's path has an empty component" }
        if components.contains(where: { $0 == "." || $0 == ".." }) {
            return "an upload's path may not hold '.' or '..' components"
        }
        if relative.unicodeScalars.contains(where: { $0 == "\\" }) {
            return "an upload's path may not hold a backslash"
        }
        if relative.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "an upload's path may not hold a control character"
        }
        return nil
    }
}
