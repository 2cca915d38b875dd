import Foundation
import TransfertKit

/// What the history search box was given: an id (digits), a GUID, or else a UAI — the three keys of
/// `transfert history` (`--id`, `--guid`, `--uai`), told apart by their shape so that one box is enough.
enum HistoryQuery {
    /// The key `text` names, or the sentence saying why it names none (an id too large for any establishment).
    static func key(_ text: String, language: ConsoleLanguage) -> Result<EstablishmentHistory.Key, Refusal> {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty, trimmed.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
            // `Int64(_:)` answers nil past Int64.max: refused by name, never trapped.
            guard let id = Int64(trimmed), id > 0 else {
                return .failure(
                    Refusal(
                        message: language.text(
                            "« \(trimmed) » n’est pas un identifiant d’établissement : un entier positif, par exemple 12.",
                            "“\(trimmed)” is not an establishment id: a positive whole number, e.g. 12.")))
            }
            return .success(.id(id))
        }
        if UUID(uuidString: trimmed) != nil { return .success(.guid(trimmed.lowercased())) }
        return .success(.uai(trimmed.uppercased()))
    }

    /// How the command line names the key in its answer (`id 12`, `GUID …`, `UAI …`).
    static func describe(_ key: EstablishmentHistory.Key) -> String {
        switch key {
        case .id(let id): return "id \(id)"
        case .guid(let guid): return "GUID \(guid)"
        case .uai(let uai): return "UAI \(uai)"
        }
    }

    struct Refusal: Error {
        var message: String
    }
}
