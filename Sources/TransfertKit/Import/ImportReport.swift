import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What happened to one CSV row.
public struct ImportOutcome: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// Restored, checked and registered.
        case imported
        /// Already restored by an earlier, unfinished run of the same bundle: left as it is.
        case alreadyImported = "already_imported"
        /// A dry run's plan.
        case planned
        /// Restoring it failed; nothing of it was kept.
        case failed
    }

    public var line: Int
    /// The id on this server (planned in a dry run); `nil` when it failed.
    public var newID: Int64?
    public var idExport: Int64
    public var guid: String
    public var zoneID: Int64
    public var localisation: String
    public var denomination: String
    public var uai: String?
    public var contactNom: String
    public var contactPrenom: String
    public var contactCourriel: String
    /// `<base-url>?id=<new id>`.
    public var accessURL: String?
    public var outcome: Kind
    public var reason: String?
    /// A failure as a value: its code and, for a refused dump, the entry, line and column.
    public var problem: Problem?
    /// What the operator should know about an imported establishment: schema differences from a fresh
    /// establishment, what a format-1 bundle left out, rows kept without their parent.
    public var notes: [String] = []
    public var tables: Int
    public var rows: Int64
    public var seconds: Double?
    /// The registry row, once imported (not encoded).
    public var structure: Structure?

    enum CodingKeys: String, CodingKey {
        case line = "csv_line"
        case newID = "new_id"
        case idExport = "id_export"
        case guid
        case zoneID = "zone_id"
        case localisation, denomination, uai
        case contactNom = "contact_nom"
        case contactPrenom = "contact_prenom"
        case contactCourriel = "contact_courriel"
        case accessURL = "access_url"
        case outcome, reason, problem, notes, tables, rows, seconds
    }

    /// "Localisation | Dénomination [UAI]", as SACoche's result table shows an establishment.
    public var displayName: String { "\(localisation) | \(denomination)" + (uai.map { " [\($0)]" } ?? "") }
}

/// The result of an import (or of a dry run).
public struct ImportReport: Codable, Sendable {
    public var csv: String
    public var zip: String
    public var dryRun: Bool
    /// This run completed an earlier, unfinished run of the same bundle.
    public var resumed: Bool
    /// Leftovers of killed imports removed before this one started.
    public var cleanedLeftovers: [String]
    public var csvEncoding: String?
    public var csvSeparator: String?
    public var establishments: [ImportOutcome] = []
    /// Where the result table was written (CSV and JSON), or why it could not be.
    public var resultCSV: String?
    public var resultJSON: String?
    public var resultProblem: String?
    /// The signed receipt for the source's `transfert confirm`, or why none was written.
    public var receipt: String?
    public var receiptProblem: String?

    enum CodingKeys: String, CodingKey {
        case csv, zip
        case dryRun = "dry_run"
        case resumed
        case cleanedLeftovers = "cleaned_leftovers"
        case csvEncoding = "csv_encoding"
        case csvSeparator = "csv_separator"
        case establishments
        case resultCSV = "result_csv"
        case resultJSON = "result_json"
        case resultProblem = "result_problem"
        case receipt
        case receiptProblem = "receipt_problem"
    }

    public init(csv: String, zip: String, dryRun: Bool, resumed: Bool, cleanedLeftovers: [String]) {
        self.csv = csv
        self.zip = zip
        self.dryRun = dryRun
        self.resumed = resumed
        self.cleanedLeftovers = cleanedLeftovers
    }

    /// The ids now hosted from this bundle (imported now or before): what bulk actions take.
    public var hostedIDs: [Int64] {
        establishments.filter { $0.outcome == .imported || $0.outcome == .alreadyImported }.compactMap(\.newID)
    }

    public var failures: [ImportOutcome] { establishments.filter { $0.outcome == .failed } }

    /// Columns of the result CSV; `Id_Import` is the new id, as `letters --result` reads it.
    public static let resultColumns = [
        "Id_Import", "Id_Export", "Id_Zone", "Localisation", "Dénomination", "UAI", "Contact_Nom", "Contact_Prénom",
        "Contact_Courriel", "URL", "GUID", "Résultat", "Motif",
    ]

    /// The result as CSV (UTF-8, `;`, CRLF, RFC 4180), one row per establishment. It is for people, who
    /// open it in a spreadsheet: every cell goes through ``SpreadsheetCell/neutralised(_:)``, since names
    /// and reasons come from the bundle (a `=HYPERLINK(…)` denomination stays text).
    public func resultCSVData() -> Data {
        var text = CSVManifest.line(Self.resultColumns)
        for e in establishments {
            text += CSVManifest.line(
                [
                    e.newID.map(String.init) ?? "", String(e.idExport), String(e.zoneID), e.localisation,
                    e.denomination, e.uai ?? "",
                    e.contactNom, e.contactPrenom, e.contactCourriel, e.accessURL ?? "", e.guid, e.outcome.rawValue,
                    e.reason ?? "",
                ].map(SpreadsheetCell.neutralised))
        }
        return Data(text.utf8)
    }

    /// Writes the result as CSV at `url` and as JSON beside it (same name, `.json`), owner-only. A failure
    /// is recorded, not thrown: the import itself is done and must not be undone for a report.
    mutating func writeResultFiles(to url: URL) {
        let json = url.deletingPathExtension().appendingPathExtension("json")
        do {
            try writePrivateFile(String(decoding: resultCSVData(), as: UTF8.self), to: url)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            resultCSV = url.path
            resultJSON = json.path
            try writePrivateFile(String(decoding: try encoder.encode(self), as: UTF8.self), to: json)
        } catch {
            resultCSV = nil
            resultJSON = nil
            resultProblem =
                "the result could not be written to \(url.path) (\(error.localizedDescription)): give --result FILE"
        }
    }
}
