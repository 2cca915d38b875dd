import Foundation
import TransfertFormats
import TransfertKit

/// `transfert stats` as a table (`#statistics`): one row per establishment with the application profile's
/// figures under their labels, sizes, and the command's totals in the footer.
struct StatisticsView {
    let output: StatisticsOutput
    let profile: [ApplicationProfile.Statistic]
    let language: ConsoleLanguage

    var body: HTML {
        let headers =
            ["Id", language.text("Dénomination", "Name"), "UAI"] + profile.map(\.label)
            + [language.text("Base", "Database"), language.text("Fichiers", "Files")]
        let head = HTML(joining: headers.map { "<th scope=\"col\">\($0)</th>" as HTML })
        let rows = HTML(
            joining: output.establishments.map { row -> HTML in
                let id = row["base_id"]?.text ?? ""
                let figures = HTML(joining: profile.map { "<td>\(row[$0.key]?.text ?? "")</td>" as HTML })
                return """
                    <tr data-id="\(id)"><td><a href="/establishments/\(id)">\(id)</a></td><td>\(row["denomination"]?.text ?? "")</td><td>\(row["uai"]?.text ?? "")</td>\(figures)<td>\(Self.bytes(row["database_bytes"]))</td><td>\(Self.bytes(row["files_bytes"])) (\(row["files_count"]?.text ?? ""))</td></tr>
                    """
            })
        let totals = output.totals
        let totalFigures = HTML(joining: profile.map { "<td>\(totals[$0.key]?.text ?? "")</td>" as HTML })
        return """
            <div class="table-wrap"><table id="statistics"><caption>\(language.text("Statistiques par établissement, et totaux", "Statistics per establishment, and totals"))</caption>
            <thead><tr>\(head)</tr></thead><tbody>\(rows)</tbody>
            <tfoot><tr><th scope="row" colspan="3">\(language.text("Total (\(totals["establishments"]?.text ?? ""))", "Total (\(totals["establishments"]?.text ?? ""))"))</th>\(totalFigures)<td>\(Self.bytes(totals["database_bytes"]))</td><td>\(Self.bytes(totals["files_bytes"])) (\(totals["files_count"]?.text ?? ""))</td></tr></tfoot>
            </table></div>
            """
    }

    /// "1.2 MB" as the command's table says it; a figure that is not a whole number is shown as written.
    static func bytes(_ figure: StatisticsOutput.Figure?) -> String {
        guard let figure else { return "" }
        return figure.integer.map(formatBytes) ?? figure.text
    }
}
