import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// How thoroughly a bundle is checked.
public struct VerificationLevel: OptionSet, Sendable, Codable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Parse every dump under the importer's rules, restore it into a scratch database, and compare
    /// per-table row counts and content digests with the manifest.
    public static let deep = VerificationLevel(rawValue: 1)
    /// Compare each establishment still hosted here (matched by GUID) with its live database and files.
    public static let againstSource = VerificationLevel(rawValue: 2)

    /// "default", "deep", "deep, against source"…
    public var label: String {
        let parts = (contains(.deep) ? ["deep"] : []) + (contains(.againstSource) ? ["against source"] : [])
        return parts.isEmpty ? "default" : parts.joined(separator: ", ")
    }
}

/// The verdict on one establishment of a bundle.
public struct EstablishmentVerification: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable {
        /// Every check passed.
        case ok
        /// At least one check failed: see `problems`.
        case failed
        /// In the ZIP but named by no CSV row: the operator dropped it; not checked further.
        case notInCSV = "not_in_csv"
    }

    public var nomFichier: String
    public var baseID: Int64?
    public var guid: String?
    public var denomination: String
    public var uai: String?
    public var dumpBytes: Int64
    public var tables: Int
    public var rows: Int64
    /// The CSV line naming this establishment.
    public var csvLine: Int?
    public var status: Status
    public var problems: [Problem]
    /// Facts worth showing that are not problems ("not hosted here: nothing to compare").
    public var notes: [String]
    /// The live establishment it was compared with (``VerificationLevel/againstSource``), by GUID.
    public var liveBaseID: Int64?
    /// The dump's schema version (SACoche's `version_base`).
    public var schemaVersion: String?
    /// The content digests computed from a restored copy (SACoche bundles, which carry none).
    public var digests: [TableDigest]?

    enum CodingKeys: String, CodingKey {
        case nomFichier = "nom_fichier"
        case baseID = "base_id"
        case guid, denomination, uai
        case dumpBytes = "dump_bytes"
        case tables, rows
        case csvLine = "csv_line"
        case status, problems, notes
        case liveBaseID = "live_base_id"
        case schemaVersion = "schema_version"
        case digests
    }

    /// "OK", or the first problem in words.
    public var result: String {
        switch status {
        case .ok: return "OK"
        case .notInCSV: return "not in the CSV (dropped by the operator)"
        case .failed: return problems.first?.message ?? "failed"
        }
    }
}

/// Everything `verify` found, establishment by establishment.
public struct VerificationReport: Codable, Equatable, Sendable {
    public var csv: String
    public var zip: String
    /// The bundle's format.
    public var format: BundleKind = .transfert
    public var deep: Bool
    public var againstSource: Bool
    /// The CSV's detected encoding and separator, when it could be read.
    public var csvEncoding: String?
    public var csvSeparator: String?
    public var establishments: [EstablishmentVerification]
    /// Problems that concern the bundle as a whole (unreadable files, unsafe or unreferenced entries).
    public var bundleProblems: [Problem]

    enum CodingKeys: String, CodingKey {
        case csv, zip, format, deep
        case againstSource = "against_source"
        case csvEncoding = "csv_encoding"
        case csvSeparator = "csv_separator"
        case establishments
        case bundleProblems = "bundle_problems"
        case isVerified = "verified"
    }

    public init(csv: String, zip: String, deep: Bool, againstSource: Bool) {
        self.csv = csv
        self.zip = zip
        self.deep = deep
        self.againstSource = againstSource
        establishments = []
        bundleProblems = []
    }

    /// True when there is no bundle problem, at least one establishment was checked, and every
    /// checked establishment is OK.
    public var isVerified: Bool {
        bundleProblems.isEmpty && establishments.contains { $0.status == .ok }
            && !establishments.contains { $0.status == .failed }
    }

    /// Every problem as a value, the bundle's first, then each establishment's restated so that its sentence
    /// starts with the establishment (`base_2 (id 2): …`) and its place names it.
    public var everyProblem: [Problem] {
        bundleProblems
            + establishments.flatMap { e in
                e.problems.map {
                    $0.restated(
                        prefix: "\(e.nomFichier)\(e.baseID.map { " (id \($0))" } ?? ""): ",
                        place: ProblemLocation(establishment: e.nomFichier, baseID: e.baseID))
                }
            }
    }

    /// Every problem in words (`verify`'s list): the rendering of ``everyProblem``.
    public var allProblems: [String] { everyProblem.map(\.message) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(csv, forKey: .csv)
        try container.encode(zip, forKey: .zip)
        try container.encode(format, forKey: .format)
        try container.encode(deep, forKey: .deep)
        try container.encode(againstSource, forKey: .againstSource)
        try container.encodeIfPresent(csvEncoding, forKey: .csvEncoding)
        try container.encodeIfPresent(csvSeparator, forKey: .csvSeparator)
        try container.encode(establishments, forKey: .establishments)
        try container.encode(bundleProblems, forKey: .bundleProblems)
        try container.encode(isVerified, forKey: .isVerified)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        csv = try container.decode(String.self, forKey: .csv)
        zip = try container.decode(String.self, forKey: .zip)
        format = try container.decodeIfPresent(BundleKind.self, forKey: .format) ?? .transfert
        deep = try container.decode(Bool.self, forKey: .deep)
        againstSource = try container.decode(Bool.self, forKey: .againstSource)
        csvEncoding = try container.decodeIfPresent(String.self, forKey: .csvEncoding)
        csvSeparator = try container.decodeIfPresent(String.self, forKey: .csvSeparator)
        establishments = try container.decode([EstablishmentVerification].self, forKey: .establishments)
        bundleProblems = try container.decode([Problem].self, forKey: .bundleProblems)
    }

    /// The digests computed for a SACoche bundle, as `verify --digests FILE` writes them.
    public func sacocheDigests(bundle: String, createdAt: String) -> SACocheDigests {
        var result: [String: [TableDigest]] = [:]
        for e in establishments { if let digests = e.digests, !digests.isEmpty { result[e.nomFichier] = digests } }
        return SACocheDigests(bundle: bundle, createdAt: createdAt, establishments: result)
    }
}
