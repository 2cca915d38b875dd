import Foundation

/// What a window is for; it decides the messages users see.
public enum MaintenanceType: String, Codable, Sendable, CaseIterable {
    /// Work on the databases (a transfer, a restore): "Une phase de maintenance de la base de données…".
    case database
    /// A new version of the application: "Une nouvelle version sera installée…".
    case deployment
}
