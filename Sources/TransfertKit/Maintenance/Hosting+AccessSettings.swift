import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

extension Hosting {
    /// The settings users' pages and the maintenance rules read, from this hosting's `transfert.yaml` and
    /// profile: what the command line hands to ``HostingAccess``, ``MaintenanceSchedule`` and
    /// ``MaintenanceWindowReport`` in place of the hosting.
    package var accessSettings: AccessSettings {
        AccessSettings(configuration: configuration, application: profile.name)
    }
}
