import Foundation

/// What `transfert export --json` prints (the CLI's `ExportResult`), as far as the export job's page shows
/// it: the establishments dumped, whether they stay locked, and what the operator must be told.
struct ExportResultJSON: Decodable, Sendable {
    var establishments: [Establishment]
    var keptLocked: Bool
    var warnings: [String]?
    var content: Content?
    var leftOutToo: [LeftOut]?

    struct Establishment: Decodable, Sendable {
        var baseID: Int64
        var denomination: String
        var nomFichier: String
        var tables: Int
        var rows: Int64
        var dumpBytes: Int64
        var filesCount: Int
        var filesBytes: Int64

        enum CodingKeys: String, CodingKey {
            case baseID = "base_id"
            case denomination
            case nomFichier = "nom_fichier"
            case tables, rows
            case dumpBytes = "dump_bytes"
            case filesCount = "files_count"
            case filesBytes = "files_bytes"
        }
    }

    /// The content the bundle carries (`--without`, `--only`, `--anonymise`).
    struct Content: Decodable, Sendable {
        var included: [String]?
        var leftOut: [LeftOut]?
        var anonymised: Bool?

        enum CodingKeys: String, CodingKey {
            case included, anonymised
            case leftOut = "left_out"
        }
    }

    struct LeftOut: Decodable, Sendable {
        var category: String
        var reason: String
    }

    enum CodingKeys: String, CodingKey {
        case establishments, warnings, content
        case keptLocked = "kept_locked"
        case leftOutToo = "left_out_too"
    }
}
