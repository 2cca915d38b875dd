import Foundation

/// What `transfert verify --json` prints (the CLI's `VerificationReport`), as far as the console shows it:
/// the verdict, each establishment's result and every problem with its place. Decoded here rather than
/// shared with the command line, so that the console reads the command's output the way a script does.
struct VerificationReportJSON: Decodable, Sendable {
    var csv: String
    var zip: String
    var deep: Bool
    var againstSource: Bool
    var verified: Bool
    var establishments: [Establishment]
    var bundleProblems: [CommandError.Problem]

    struct Establishment: Decodable, Sendable {
        var nomFichier: String
        var baseID: Int64?
        var denomination: String
        var uai: String?
        var dumpBytes: Int64
        var tables: Int
        var rows: Int64
        var csvLine: Int?
        /// `ok`, `failed` or `not_in_csv`.
        var status: String
        var problems: [CommandError.Problem]
        var notes: [String]

        enum CodingKeys: String, CodingKey {
            case nomFichier = "nom_fichier"
            case baseID = "base_id"
            case denomination, uai
            case dumpBytes = "dump_bytes"
            case tables, rows
            case csvLine = "csv_line"
            case status, problems, notes
        }
    }

    enum CodingKeys: String, CodingKey {
        case csv, zip, deep, verified, establishments
        case againstSource = "against_source"
        case bundleProblems = "bundle_problems"
    }

    /// The establishments the verdict is about (those the operator dropped from the CSV are only listed).
    var checked: [Establishment] { establishments.filter { $0.status != "not_in_csv" } }

    /// How many problems the report lists, the bundle's and every establishment's.
    var problemCount: Int { bundleProblems.count + establishments.reduce(0) { $0 + $1.problems.count } }
}
