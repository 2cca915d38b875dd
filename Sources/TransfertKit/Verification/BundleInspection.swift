import Foundation

/// What a bundle holds, shown before anything is restored (as Moodle's first restore step does).
public struct BundleInspection: Codable, Sendable {
    public var zip: String
    public var csv: String?
    public var format: BundleKind
    public var manifest: BundleManifest
    /// What reading the bundle met (a SACoche bundle is read through: a statement it refuses shows here).
    public var problems: [String]
    /// Whether the bundle was exported by the hosting it is inspected from; `nil` without a hosting.
    public var isThisServer: Bool?
    public var csvEncoding: String?
    public var csvSeparator: String?
    /// The `Nom_fichier` of each CSV row, in file order: what an import of this CSV would take.
    public var csvRows: [String]?

    enum CodingKeys: String, CodingKey {
        case zip, csv, format, manifest, problems, isThisServer = "is_this_server", csvEncoding = "csv_encoding"
        case csvSeparator = "csv_separator", csvRows = "csv_rows"
    }

    /// Reads the manifest (after the archive's safety checks) and, when given, the CSV.
    public static func inspect(zip: URL, csv: URL?, hosting: Hosting?) throws -> BundleInspection {
        let opened = OpenedBundle.open(csv: csv, zip: zip)
        guard let source = opened.source else {
            throw BundleReadError.unreadable(zip.path, problems: opened.problems)
        }
        let manifest = source.manifest
        let problems = opened.problems + manifest.establishments.flatMap { e in
            source.contentProblems(of: e, readContents: false).map { "\(e.nomFichier): \($0)" }
        }
        var inspection = BundleInspection(zip: zip.path, csv: csv?.path, format: source.kind, manifest: manifest, problems: problems)
        if let hosting, source.kind == .transfert {
            inspection.isThisServer = try hosting.registry.fingerprint() == manifest.source.fingerprint
        }
        if let read = opened.csv {
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
