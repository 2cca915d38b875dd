import Foundation
import TransfertFormats

/// What `transfert import CSV ZIP --dry-run --json` said, as the import page shows it: one row per CSV row
/// (its line, establishment, UAI, the id it will get) with the problems of that line, the problems of no
/// row, and the command's refusal when there is one.
///
/// A clean dry run lists the rows of its plan. A refused one lists problems only, so its rows are read
/// from the CSV by the console (a read, like every page's) to put each problem beside its row; a CSV that
/// cannot be read at all shows the refusal alone, which says why.
struct DryRun: Sendable {
    struct Row: Sendable {
        var line: Int
        var name: String
        var uai: String
        /// The id the row will get (planned), or the `Id_Import` it asks for when the dry run was refused
        /// (empty: a free id, chosen at import).
        var id: String
        var problems: [CommandError.Problem]
        var notes: [String]
    }

    var rows: [Row]
    /// Every problem, in the command's order (rows' included): what `#problems` lists.
    var problems: [CommandError.Problem]
    var refusal: CommandError?
    /// What this hosting lacks before any row can be checked (zones…), when the command says so.
    var prerequisites: String?

    /// Nothing stands in the way: the import may start.
    var isClean: Bool { refusal == nil && problems.isEmpty }

    init(result: CommandResult, csv: URL) {
        if result.succeeded, let report = result.decoded(as: ImportReportJSON.self) {
            rows = report.establishments.map { outcome in
                Row(
                    line: outcome.line, name: outcome.name, uai: outcome.uai ?? "",
                    id: outcome.newID.map(String.init) ?? "", problems: outcome.problem.map { [$0] } ?? [],
                    notes: outcome.notes ?? [])
            }
            problems = report.establishments.compactMap(\.problem)
            refusal = nil
            prerequisites = nil
            return
        }
        refusal =
            result.error
            ?? CommandError(
                code: "failed", message: "the dry run gave no answer", exitCode: result.exitCode, location: nil,
                problems: nil)
        let listed = result.decoded(as: ImportProblemsJSON.self)
        problems = listed?.problems ?? []
        prerequisites = listed?.prerequisites
        guard !problems.isEmpty, let manifest = try? CSVManifestReader.read(contentsOf: csv) else {
            rows = []
            return
        }
        // A line of the CSV, not of a dump of the ZIP.
        let csvName = csv.lastPathComponent
        let ofRows = problems.filter { problem in
            guard let location = problem.location, location.line != nil else { return false }
            return location.file.map { ($0 as NSString).lastPathComponent == csvName } ?? true
        }
        let byLine = Dictionary(grouping: ofRows) { $0.location?.line ?? 0 }
        rows = manifest.rows.map { row in
            Row(
                line: row.line, name: "\(row["Localisation"]) | \(row["Dénomination"])", uai: row["UAI"],
                id: row["Id_Import"], problems: byLine[row.line] ?? [], notes: [])
        }
    }
}
