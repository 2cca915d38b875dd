import Foundation
import TransfertModel

/// The list's filter: words typed in `q` and a zone. Every word must be found — in the id (exactly), the
/// UAI, the name, the place or the contact (name, first name, address) — ignoring case and accents, so
/// that « lefevre » finds « Lefèvre » and « COLLEGE » finds « Collège ».
struct EstablishmentSearch: Sendable, Equatable {
    var query: String
    var zoneID: Int64?

    /// From the page's query string; a zone that is not a number is no filter (the select only offers
    /// numbers).
    init(query: String?, zone: String?) {
        self.query = query?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        self.zoneID = zone.flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
    }

    var words: [String] { query.split(whereSeparator: \.isWhitespace).map { Self.folded(String($0)) } }

    var isEmpty: Bool { query.isEmpty && zoneID == nil }

    func matching(_ structures: [Structure]) -> [Structure] {
        let words = self.words
        return structures.filter { structure in
            if let zoneID, structure.zoneID != zoneID { return false }
            guard !words.isEmpty else { return true }
            let text = Self.searchableText(of: structure)
            let id = String(structure.baseID)
            return words.allSatisfy { $0 == id || text.contains($0) }
        }
    }

    /// The fields searched, folded once per establishment.
    static func searchableText(of structure: Structure) -> String {
        folded(
            [
                structure.uai?.rawValue ?? "", structure.denomination, structure.localisation, structure.contactNom,
                structure.contactPrenom, structure.contactCourriel.rawValue,
            ].joined(separator: "\u{1F}"))
    }

    static func folded(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
    }
}
