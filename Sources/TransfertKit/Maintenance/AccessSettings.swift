import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// How a hosting speaks to the users of its establishments about access: the time zone their times are
/// shown in, the language of their pages, the application's name, how long connected users get before a
/// window or a lock closes their session, and whether exports and imports need a window in progress.
///
/// The few settings of `transfert.yaml` and the profile that ``HostingAccess``, ``MaintenanceSchedule`` and
/// ``MaintenanceWindowReport`` read — so that they can be built (and tested) without a hosting directory.
///
/// ```swift
/// let settings = AccessSettings(configuration: hosting.configuration, application: hosting.profile.name)
/// let access = HostingAccess(registry: hosting.registry, settings: settings)
/// ```
public struct AccessSettings: Equatable, Sendable {
    /// The hosting's time zone (`time_zone`), in which users and operators read times.
    public var timeZone: TimeZone
    /// The users' language (`language`: fr or en).
    public var language: String
    /// The hosted application's name, as users read it (the profile's `name`).
    public var application: String
    /// Seconds connected users get before their session closes (`disconnect_after`).
    public var disconnectAfter: Int
    /// Whether exports and imports are refused outside a window in progress (`require_maintenance_window`).
    public var requireMaintenanceWindow: Bool

    public init(
        timeZone: TimeZone, language: String, application: String, disconnectAfter: Int,
        requireMaintenanceWindow: Bool = false
    ) {
        self.timeZone = timeZone
        self.language = language
        self.application = application
        self.disconnectAfter = disconnectAfter
        self.requireMaintenanceWindow = requireMaintenanceWindow
    }

    /// The settings `configuration` gives, with the defaults it documents for what it leaves out.
    public init(configuration: HostingConfiguration, application: String) {
        self.init(
            timeZone: configuration.timeZone, language: configuration.userLanguage, application: application,
            disconnectAfter: configuration.disconnectDelay,
            requireMaintenanceWindow: configuration.requireMaintenanceWindow == true)
    }

    /// Times as users read them: in the hosting's time zone.
    public var time: MaintenanceTime { MaintenanceTime(timeZone: timeZone) }

    /// The sentences users read, in their language.
    public var messages: MaintenanceMessages { MaintenanceMessages(language: language) }
}
