import Foundation
import TransfertModel

/// The hosting's feed settings (`transfert.yaml`'s `feeds:`): how much a refresh may disable, and what a
/// membership in a second child course of a cross-listed set does.
public struct FeedSettings: Codable, Sendable, Equatable {
    /// The share of the integration's enabled records a refresh may disable (`max_disable_ratio`, 0…1,
    /// default 0.2); more is refused unless `--allow-mass-disable`.
    public var maxDisableRatio: Double?
    /// `move` (default): a person's enabled membership moves to the new child course of a cross-listed
    /// set, the old one is disabled and reported `moved`; `refuse`: the row fails instead.
    public var crossListing: CrossListing?
    /// `oneroster:`: which OneRoster columns give the course and person keys (see ``OneRosterSettings``).
    public var oneroster: OneRosterSettings?

    public enum CrossListing: String, Codable, Sendable { case move, refuse }

    public static let defaultMaxDisableRatio = 0.2

    public var disableRatio: Double { maxDisableRatio ?? Self.defaultMaxDisableRatio }
    public var crossListingRule: CrossListing { crossListing ?? .move }
    public var oneRosterSettings: OneRosterSettings { oneroster ?? OneRosterSettings() }

    public init(
        maxDisableRatio: Double? = nil, crossListing: CrossListing? = nil, oneroster: OneRosterSettings? = nil
    ) {
        self.maxDisableRatio = maxDisableRatio
        self.crossListing = crossListing
        self.oneroster = oneroster
    }

    enum CodingKeys: String, CodingKey {
        case maxDisableRatio = "max_disable_ratio"
        case crossListing = "cross_listing"
        case oneroster
    }

    /// The section `init` writes when nothing is set: the keys, commented, with their defaults.
    static let commentedExample = """
        # SIS feeds (`transfert feed membership`): the share of an integration's enabled records a refresh
        # may disable (more is refused unless --allow-mass-disable), and what a membership in a second
        # child course of a cross-listed set does (move the old one, or refuse the row); for OneRoster
        # packages, the classes.csv and users.csv columns that hold the course and person keys.
        # feeds:
        #   max_disable_ratio: 0.2
        #   cross_listing: move
        #   oneroster: {class_key: classCode, person_key: username}
        """

    /// The section as `transfert.yaml` holds it.
    func renderYAML() -> String {
        var lines = [
            "# SIS feeds (`transfert feed membership`): the mass-disable guard and cross-listed sets.", "feeds:",
        ]
        if let maxDisableRatio { lines.append("  max_disable_ratio: \(maxDisableRatio)") }
        if let crossListing { lines.append("  cross_listing: \(crossListing.rawValue)") }
        if let oneroster, oneroster.classKey != nil || oneroster.personKey != nil {
            lines.append("  oneroster:")
            if let key = oneroster.classKey { lines.append("    class_key: \(key.rawValue)") }
            if let key = oneroster.personKey { lines.append("    person_key: \(key.rawValue)") }
        }
        return lines.joined(separator: "\n")
    }

    /// Refuses a ratio outside 0…1, naming the key.
    public func validate(file: String) throws(ConfigurationError) {
        if let ratio = maxDisableRatio, !(ratio >= 0 && ratio <= 1) {
            throw .invalidValue(
                file: file, key: "feeds.max_disable_ratio", value: String(ratio),
                expected: "a share between 0 and 1, e.g. 0.2 for 20 %")
        }
    }
}
