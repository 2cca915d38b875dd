import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What a bundle holds, shown before anything is restored (as Moodle's first restore step does).
public struct BundleInspection: Codable, Sendable {
    public var zip: String
    public var csv: String?
    public var format: BundleKind
    public var manifest: BundleManifest
    /// What reading the bundle met (a SACoche bundle is read through: a statement it refuses shows here),
    /// each with its code and place.
    public var problems: [Problem]
    /// Whether the bundle was exported by the hosting it is inspected from; `nil` without a hosting.
    public var isThisServer: Bool?
    public var csvEncoding: String?
    public var csvSeparator: String?
    /// The `Nom_fichier` of each CSV row, in file order: what an import of this CSV would take.
    public var csvRows: [String]?
    /// The confirmation step: details, settings, and per establishment what each category holds.
    public var summary: BundleContentSummary

    /// `problems` stays the list of sentences `inspect --json` always printed; `problem_details` adds the same
    /// problems as objects with their codes and places.
    enum CodingKeys: String, CodingKey {
        case zip, csv, format, manifest, problems
        case problemDetails = "problem_details"
        case isThisServer = "is_this_server"
        case csvEncoding = "csv_encoding"
        case csvSeparator = "csv_separator"
        case csvRows = "csv_rows"
        case details, settings, content
        case categoriesFrom = "categories_from"
    }

    init(zip: String, csv: String?, format: BundleKind, manifest: BundleManifest, problems: [Problem]) {
        self.zip = zip
        self.csv = csv
        self.format = format
        self.manifest = manifest
        self.problems = problems
        self.summary = BundleContentSummary(manifest: manifest, kind: format, isThisServer: nil, profile: nil)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        zip = try container.decode(String.self, forKey: .zip)
        csv = try container.decodeIfPresent(String.self, forKey: .csv)
        format = try container.decode(BundleKind.self, forKey: .format)
        manifest = try container.decode(BundleManifest.self, forKey: .manifest)
        problems = try container.decode([Problem].self, forKey: .problemDetails)
        isThisServer = try container.decodeIfPresent(Bool.self, forKey: .isThisServer)
        csvEncoding = try container.decodeIfPresent(String.self, forKey: .csvEncoding)
        csvSeparator = try container.decodeIfPresent(String.self, forKey: .csvSeparator)
        csvRows = try container.decodeIfPresent([String].self, forKey: .csvRows)
        summary = BundleContentSummary(manifest: manifest, kind: format, isThisServer: isThisServer, profile: nil)
        if let details = try container.decodeIfPresent(BundleContentSummary.Details.self, forKey: .details) {
            summary.details = details
        }
        if let settings = try container.decodeIfPresent(BundleContentSummary.Settings.self, forKey: .settings) {
            summary.settings = settings
        }
        if let content = try container.decodeIfPresent(
            [BundleContentSummary.EstablishmentContent].self, forKey: .content)
        {
            summary.establishments = content
        }
        summary.categoriesFrom =
            try container.decodeIfPresent(String.self, forKey: .categoriesFrom) ?? summary.categoriesFrom
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(zip, forKey: .zip)
        try container.encodeIfPresent(csv, forKey: .csv)
        try container.encode(format, forKey: .format)
        try container.encode(manifest, forKey: .manifest)
        try container.encode(problems.map(\.message), forKey: .problems)
        try container.encode(problems, forKey: .problemDetails)
        try container.encodeIfPresent(isThisServer, forKey: .isThisServer)
        try container.encodeIfPresent(csvEncoding, forKey: .csvEncoding)
        try container.encodeIfPresent(csvSeparator, forKey: .csvSeparator)
        try container.encodeIfPresent(csvRows, forKey: .csvRows)
        try container.encode(summary.details, forKey: .details)
        try container.encode(summary.settings, forKey: .settings)
        try container.encode(summary.categoriesFrom, forKey: .categoriesFrom)
        try container.encode(summary.establishments, forKey: .content)
    }

    /// Reads the manifest (after the archive's safety checks) and, when given, the CSV.
    public static func inspect(zip: URL, csv: URL?, hosting: Hosting?) throws -> BundleInspection {
        let opened = OpenedBundle.open(csv: csv, zip: zip)
        guard let source = opened.source else {
            throw BundleReadError.unreadable(zip.path, problems: opened.problems)
        }
        let manifest = source.manifest
        let problems =
            opened.problems
            + manifest.establishments.flatMap { e in
                source.contentProblems(of: e, readContents: false).map {
                    $0.restated(
                        prefix: "\(e.nomFichier): ", place: ProblemLocation(file: zip.path, establishment: e.nomFichier)
                    )
                }
            }
        var inspection = BundleInspection(
            zip: zip.path, csv: csv?.path, format: source.kind, manifest: manifest, problems: problems)
        if let hosting, source.kind == .transfert {
            inspection.isThisServer = try hosting.registry.fingerprint() == manifest.source.fingerprint
        }
        inspection.summary = BundleContentSummary(
            manifest: manifest, kind: source.kind, isThisServer: inspection.isThisServer, profile: hosting?.profile)
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
