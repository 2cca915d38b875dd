import Foundation
import TransfertKit
import TransfertModel
import TransfertStorage

/// Reads what the preview shows for one establishment: its state now (or at the time asked), and during
/// its next window — the state at that window's start, as ``HostingAccess`` will decide it then (a lock
/// that outranks the window shows instead, as it will on the portal).
struct MaintenancePreviewReader {
    var hosting: Hosting

    struct Preview: Sendable {
        var now: Date
        var current: AccessState
        var next: (window: MaintenanceWindow, state: AccessState)?
    }

    /// `nil` when the hosting has no establishment `id` (and no move of it).
    func read(id: Int64, at moment: Date) throws -> Preview? {
        let access = HostingAccess(registry: hosting.registry, settings: hosting.accessSettings)
        guard let current = try access.state(baseID: id, at: moment) else { return nil }
        let next = try hosting.registry.maintenanceWindows()
            .filter { $0.covers(baseID: id) && $0.state(at: moment) == .planned }
            .min { $0.start < $1.start }
        let during = try next.flatMap { window in try access.state(baseID: id, at: window.start).map { (window, $0) } }
        return Preview(now: moment, current: current, next: during)
    }
}
