import Foundation

/// What a bundle holds, shown before anything is restored (as Moodle's first restore step does).
public struct BundleInspection: Codable, Sendable {
    public var zip: String
    public var csv: String?
    public var manifest: BundleManifest
    /// Whether the bundle was exported by the hosting it is inspected from; `nil` without a hosting.
    public var isThisServer: Bool?
    public var csvEncoding: String?
    public var csvSeparator: String?
    /// The `Nom_fichier` of each CSV row, in file order: what an import of this CSV would take.
    public var csvRows: [String]?

    enum CodingKeys: String, CodingKey {
        case zip, csv, manifest, isThisServer = "is_this_server", csvEncoding = "csv_encoding"
        case csvSeparator = "csv_separator", csvRows = "csv_rows"
    }

    /// Reads the manifest (after the archive's safety checks) and, when given, the CSV.
    public static func inspect(zip: URL, csv: URL?, hosting: Hosting?) throws -> BundleInspection {
        let archive = try BundleArchive(url: zip)
        let unsafe = archive.safetyProblems()
        guard unsafe.isEmpty else { throw BundleReadError.unsafe(zip.path, problems: unsafe) }
        let manifest = try archive.manifest()
        var inspection = BundleInspection(zip: zip.path, csv: csv?.path, manifest: manifest)
        if let hosting {
            inspection.isThisServer = try hosting.registry.fingerprint() == manifest.source.fingerprint
        }
        if let csv {
            let read = try CSVManifestReader.read(contentsOf: csv)
            inspection.csvEncoding = read.encoding.rawValue
            inspection.csvSeparator = read.separator.rawValue
            inspection.csvRows = read.rows.map { $0["Nom_fichier"] }
        }
        return inspection
    }

    /// The CSV beside a ZIP (same base name), when there is one.
    public static func companionCSV(of zip: URL) -> URL? {
        let csv = zip.deletingPathExtension().appendingPathExtension("csv")
        return FileManager.default.fileExists(atPath: csv.path) ? csv : nil
    }
}
