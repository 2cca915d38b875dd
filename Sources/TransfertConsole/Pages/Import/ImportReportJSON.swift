/// `transfert import --json`'s report, as far as the pages show it (``ImportReport`` of TransfertKit, read
/// back from the command's output rather than shared: the console shows what the command said).
struct ImportReportJSON: Decodable, Sendable {
    struct Outcome: Decodable, Sendable {
        var line: Int
        var newID: Int64?
        var idExport: Int64
        var localisation: String
        var denomination: String
        var uai: String?
        var contactCourriel: String
        var accessURL: String?
        var outcome: String
        var reason: String?
        var problem: CommandError.Problem?
        var notes: [String]?

        enum CodingKeys: String, CodingKey {
            case line = "csv_line"
            case newID = "new_id"
            case idExport = "id_export"
            case localisation, denomination, uai
            case contactCourriel = "contact_courriel"
            case accessURL = "access_url"
            case outcome, reason, problem, notes
        }

        /// "Localisation | Dénomination", as SACoche's result table names an establishment.
        var name: String { "\(localisation) | \(denomination)" }

        /// Whether the establishment is hosted here now (imported by this run or an earlier one).
        var isHosted: Bool { outcome == "imported" || outcome == "already_imported" }
    }

    var dryRun: Bool
    var establishments: [Outcome]
    var receipt: String?
    var receiptProblem: String?
    var resultProblem: String?

    enum CodingKeys: String, CodingKey {
        case dryRun = "dry_run"
        case establishments, receipt
        case receiptProblem = "receipt_problem"
        case resultProblem = "result_problem"
    }

    /// The ids hosted here from this bundle: what the letters are written for.
    var hostedIDs: [Int64] { establishments.filter(\.isHosted).compactMap(\.newID) }
}
