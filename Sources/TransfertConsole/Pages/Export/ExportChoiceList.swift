import Foundation
import TransfertModel

/// The establishments the export page offers, narrowed by zone and by a search over id, UAI, name and
/// place (accents and case ignored, as people type): one registry read for the whole page, whatever the
/// number of establishments.
struct ExportChoiceList: Sendable {
    struct Choice: Sendable {
        var structure: Structure
        /// The lock in force, if any (a running export, a move kept locked, a lock by hand): its export
        /// would be refused by the command, which says so.
        var lock: String?
    }

    var zones: [Zone]
    var choices: [Choice]

    /// Reads the registry once (establishments, zones, locks) and narrows.
    static func read(_ services: ConsoleServices, zone: Int64?, query: String) async throws -> ExportChoiceList {
        try await services.read { hosting in
            var locks: [Int64: String] = [:]
            for lock in try hosting.registry.locks() { locks[lock.baseID] = lock.message }
            return ExportChoiceList(
                structures: try hosting.registry.structures(), zones: try hosting.registry.zones(), locks: locks,
                zone: zone, query: query)
        }
    }

    /// The establishments of `zone` (all when `nil`) that `query` finds (all when blank).
    init(structures: [Structure], zones: [Zone], locks: [Int64: String], zone: Int64?, query: String) {
        self.zones = zones
        let words = Self.fold(query).split(separator: " ").map(String.init)
        choices = structures.filter { structure in
            guard zone.map({ $0 == structure.zoneID }) ?? true else { return false }
            guard !words.isEmpty else { return true }
            let haystack = Self.fold(
                "\(structure.baseID) \(structure.uai?.rawValue ?? "") \(structure.denomination) \(structure.localisation)"
            )
            return words.allSatisfy { haystack.contains($0) }
        }.map { Choice(structure: $0, lock: locks[$0.baseID]) }
    }

    /// Lower case, without accents: "Émile" finds "emile".
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
    }
}
