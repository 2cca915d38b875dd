import Foundation
import TransfertKit
import TransfertModel

/// What the establishments list shows, read in one go (``read(from:)``): the establishments, the zones,
/// the locks in force and the letters' languages — a handful of registry queries per page, never one per
/// row, so the page stays fast with a thousand establishments.
struct EstablishmentRegister: Sendable {
    var structures: [Structure]
    var zones: [Zone]
    var locks: [AccessLock]
    /// Each establishment's own letter language; the others write in ``hostingLanguage``.
    var languages: [Int64: String]
    var hostingLanguage: String

    /// Reads without writing: stale automatic locks are left out here, and left for `lock list` and
    /// `doctor` to clear.
    static func read(from hosting: Hosting) throws -> EstablishmentRegister {
        let access = HostingAccess(registry: hosting.registry, settings: hosting.accessSettings)
        return EstablishmentRegister(
            structures: try hosting.registry.structures(), zones: try hosting.registry.zones(),
            locks: try access.locksInForce(), languages: try hosting.registry.letterLanguages(),
            hostingLanguage: hosting.configuration.userLanguage)
    }

    func zoneName(_ id: Int64) -> String? { zones.first { $0.id == id }?.name }

    /// The locks that keep users of `baseID` out, the one they see first.
    func locks(of baseID: Int64) -> [AccessLock] {
        locks.filter { $0.covers(baseID: baseID) }.sorted { $0.precedence < $1.precedence }
    }

    func language(of baseID: Int64) -> (code: String, own: Bool) {
        languages[baseID].map { ($0, true) } ?? (hostingLanguage, false)
    }
}
