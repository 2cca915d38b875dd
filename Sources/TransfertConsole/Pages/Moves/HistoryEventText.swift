import Foundation
import TransfertModel

/// One journal event of an establishment's history in words: what happened (exported, imported…) and
/// its details — where it came from or went, the bundle, the justification, the operator's note — as
/// `transfert history` lists them.
enum HistoryEventText {
    static func event(_ event: JournalEntry.Event, language: ConsoleLanguage) -> String {
        switch event {
        case .exported: return language.text("exporté", "exported")
        case .imported: return language.text("importé", "imported")
        case .removed: return language.text("supprimé", "removed")
        case .receiptWritten: return language.text("accusé de réception écrit", "receipt written")
        case .confirmed: return language.text("déménagement confirmé", "move confirmed")
        case .redirected: return language.text("adresse redirigée", "address redirected")
        case .restored: return language.text("restauré", "restored")
        }
    }

    /// "from serveur-a #3; bases_dump_…; note: …".
    static func details(_ entry: JournalEntry, language: ConsoleLanguage) -> String {
        var parts: [String] = []
        func server(_ name: String?, _ id: Int64?) -> String? {
            name.map { "\($0)\(id.map { " #\($0)" } ?? "")" }
        }
        switch entry.event {
        case .imported:
            if let from = server(entry.sourceServer, entry.sourceBaseID) {
                parts.append(language.text("depuis \(from)", "from \(from)"))
            }
        case .receiptWritten:
            if let to = server(entry.sourceServer, entry.sourceBaseID) {
                parts.append(language.text("pour \(to)", "for \(to)"))
            }
        case .confirmed, .redirected:
            if let to = server(entry.targetServer, entry.targetBaseID) {
                parts.append(language.text("vers \(to)", "to \(to)"))
            }
        case .exported, .removed, .restored:
            break
        }
        if let bundle = entry.bundle { parts.append(bundle) }
        if let details = entry.details { parts.append(details) }
        if let note = entry.note { parts.append(language.text("note : \(note)", "note: \(note)")) }
        return parts.joined(separator: "; ")
    }
}
