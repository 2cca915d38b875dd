import Foundation

/// What `structure remove --json` said, in `#removal-result`: the establishments removed, or the command's
/// refusal in its own words (nothing proves it can be restored elsewhere, the bundle did not verify…).
struct RemovalResultView {
    let result: CommandResult
    let language: ConsoleLanguage
    /// Off on a job's page, which shows the refusal above every job's result already.
    var showsFailure = true

    var body: HTML {
        guard result.succeeded else {
            let failure =
                showsFailure ? result.error.map { Components.failure($0, language: language) } ?? .empty : .empty
            return """
                <div id="removal-result" data-outcome="refused"><p>\(language.text("Rien n’a été supprimé.", "Nothing was removed."))</p>\(failure)</div>
                """
        }
        let removed = result.decoded(as: [Removed].self) ?? []
        let items = HTML(joining: removed.map { "<li>\($0.baseID) — \($0.denomination)</li>" as HTML })
        return """
            <div id="removal-result" data-outcome="removed" role="status"><p>\(language.text(
                "Supprimé (base, fichiers, inscription) ; inscrit au journal des transferts :",
                "Removed (database, files, registration); recorded in the transfer journal:"))</p><ul>\(items)</ul></div>
            """
    }

    static func present(job: ConsoleJob, result: CommandResult, context: ConsoleRequestContext) -> HTML {
        RemovalResultView(result: result, language: context.language, showsFailure: false).body
    }

    private struct Removed: Decodable {
        var baseID: Int64
        var denomination: String
        enum CodingKeys: String, CodingKey {
            case baseID = "base_id"
            case denomination
        }
    }
}
