import Foundation
import TransfertKit
import TransfertModel

/// Everything the detail, edit and removal pages show of one establishment, read in one go: its row,
/// zone, locks in force, letters' language, confirmed move and maintenance windows.
struct EstablishmentFacts: Sendable {
    var structure: Structure
    var zones: [Zone]
    var locks: [AccessLock]
    var ownLanguage: String?
    var hostingLanguage: String
    var move: ConfirmedMove?
    var windows: [MaintenanceWindow]
    var accessURL: String

    /// `nil` when no establishment has this id.
    static func read(baseID: Int64, from hosting: Hosting) throws -> EstablishmentFacts? {
        guard let structure = try hosting.registry.structure(baseID: baseID) else { return nil }
        let access = HostingAccess(registry: hosting.registry, settings: hosting.accessSettings)
        return EstablishmentFacts(
            structure: structure, zones: try hosting.registry.zones(),
            locks: try access.locksInForce().filter { $0.covers(baseID: baseID) }
                .sorted { $0.precedence < $1.precedence },
            ownLanguage: try hosting.registry.letterLanguage(baseID: baseID),
            hostingLanguage: hosting.configuration.userLanguage, move: try hosting.registry.move(baseID: baseID),
            windows: try hosting.registry.maintenanceWindows().filter { $0.scope.covers(baseID: baseID) },
            accessURL: hosting.configuration.accessURL(baseID: baseID))
    }

    var zoneName: String? { zones.first { $0.id == structure.zoneID }?.name }
}
