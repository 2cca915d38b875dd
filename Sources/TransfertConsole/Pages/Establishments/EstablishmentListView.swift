import Foundation
import TransfertModel

/// The establishments list's body: the filter form (`q`, zone), how many matched, one page of the table
/// (one `tr[data-id]` per establishment), and the links between pages.
struct EstablishmentListView {
    let register: EstablishmentRegister
    let search: EstablishmentSearch
    let matched: [Structure]
    let slice: PageSlice
    let mayChange: Bool
    let language: ConsoleLanguage

    var body: HTML {
        """
        \(mayChange ? "<p><a id=\"add-establishment\" class=\"button\" href=\"/establishments/new\">\(language.text("Ajouter un établissement", "Add an establishment"))</a></p>" as HTML : .empty)
        <p><a href="/establishments/statistics">\(language.text("Statistiques", "Statistics"))</a></p>
        \(filterForm)
        <p id="match-count" role="status">\(countSentence)</p>
        \(table)
        \(pageLinks)
        """
    }

    var filterForm: HTML {
        let zoneOptions = HTML(
            joining: register.zones.map { zone in
                let selected: HTML = zone.id == search.zoneID ? " selected" : .empty
                return "<option value=\"\(zone.id)\"\(selected)>\(zone.id) — \(zone.name)</option>"
            })
        return """
            <form method="get" action="/establishments" class="filters" role="search">
            <p><label for="search">\(language.text("Rechercher (id, UAI, nom, lieu, contact)", "Search (id, UAI, name, place, contact)"))</label>
            <input id="search" name="q" type="search" value="\(search.query)"></p>
            <p><label for="zone-filter">\(language.text("Zone", "Zone"))</label><select id="zone-filter" name="zone">
            <option value="">\(language.text("toutes", "all"))</option>\(zoneOptions)</select></p>
            <p><button type="submit" id="filter">\(language.text("Filtrer", "Filter"))</button></p></form>
            """
    }

    var countSentence: String {
        let total = register.structures.count
        if search.isEmpty {
            return language.text("\(total) établissement(s).", "\(total) establishment(s).")
        }
        return language.text(
            "\(matched.count) établissement(s) sur \(total) correspondent.",
            "\(matched.count) of \(total) establishment(s) match.")
    }

    var table: HTML {
        guard !matched.isEmpty else {
            return Components.notice(language.text("Aucun établissement ne correspond.", "No establishment matches."))
        }
        let head = HTML(
            joining: [
                language.text("Id", "Id"), language.text("Zone", "Zone"), "UAI", language.text("Dénomination", "Name"),
                language.text("Localisation", "Place"), language.text("Contact", "Contact"),
                language.text("Inscription", "Registered"), language.text("Langue", "Language"),
                language.text("Accès", "Access"),
            ].map { "<th scope=\"col\">\($0)</th>" as HTML })
        let rows = HTML(joining: slice.range.map { row(matched[$0]) })
        let caption =
            slice.pageCount > 1
            ? language.text(
                "Établissements, page \(slice.number) sur \(slice.pageCount)",
                "Establishments, page \(slice.number) of \(slice.pageCount)")
            : language.text("Établissements", "Establishments")
        return """
            <div class="table-wrap"><table id="establishments"><caption>\(caption)</caption>
            <thead><tr>\(head)</tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }

    func row(_ structure: Structure) -> HTML {
        let zone = register.zoneName(structure.zoneID).map { "\(structure.zoneID) — \($0)" } ?? String(structure.zoneID)
        let letters = register.language(of: structure.baseID)
        let locks = register.locks(of: structure.baseID)
        let access: HTML
        if structure.status != .active {
            access =
                "<span class=\"state-\(structure.status.rawValue)\">\(EstablishmentWords.status(structure.status, language: language))</span>"
        } else if let first = locks.first {
            access =
                "<span class=\"locked\">\(language.text("verrouillé", "locked")) (\(EstablishmentWords.lockKind(first.kind, language: language)))</span>"
        } else {
            access = "\(language.text("ouvert", "open"))"
        }
        return """
            <tr data-id="\(structure.baseID)"><td>\(structure.baseID)</td><td>\(zone)</td><td>\(structure.uai?.rawValue ?? "")</td>
            <td><a href="/establishments/\(structure.baseID)">\(structure.denomination)</a></td><td>\(structure.localisation)</td>
            <td>\(structure.contactPrenom) \(structure.contactNom)<br><a href="mailto:\(structure.contactCourriel.rawValue)">\(structure.contactCourriel.rawValue)</a></td>
            <td>\(structure.inscriptionDate.description)</td><td>\(letters.code)\(letters.own ? "" : language.text(" (hébergement)", " (hosting's)"))</td><td>\(access)</td></tr>
            """
    }

    /// Previous / next, keeping the filter.
    var pageLinks: HTML {
        guard slice.pageCount > 1 else { return .empty }
        func link(_ page: Int, _ label: String, rel: String) -> HTML {
            var items = [URLQueryItem(name: "page", value: String(page))]
            if !search.query.isEmpty { items.insert(URLQueryItem(name: "q", value: search.query), at: 0) }
            if let zone = search.zoneID { items.insert(URLQueryItem(name: "zone", value: String(zone)), at: 0) }
            var components = URLComponents()
            components.path = "/establishments"
            components.queryItems = items
            return "<a rel=\"\(rel)\" href=\"\(components.string ?? "/establishments")\">\(label)</a>"
        }
        let previous =
            slice.number > 1
            ? link(slice.number - 1, language.text("← Page précédente", "← Previous page"), rel: "prev") : .empty
        let next =
            slice.number < slice.pageCount
            ? link(slice.number + 1, language.text("Page suivante →", "Next page →"), rel: "next") : .empty
        return
            "<nav class=\"pages\" aria-label=\"\(language.text("Pages", "Pages"))\"><p>\(previous) \(language.text("Page \(slice.number) sur \(slice.pageCount)", "Page \(slice.number) of \(slice.pageCount)")) \(next)</p></nav>"
    }
}
