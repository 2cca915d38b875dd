import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The rules an establishment's fields obey here, written once for both ways in: `structure add`
/// (``Hosting/validate(_:)``) and an import's CSV rows (``ImportPlanner``). Each check answers with a
/// ``StructureRuleViolation``; each way in words it for its reader (a registry field, a CSV column) and gives
/// it its code.
///
/// Checks that only make sense within one CSV (a UAI or an id on two rows) stay with the import.
struct StructureRules {
    let hosting: Hosting
    var registry: any Registry { hosting.registry }
    /// The moves away from this hosting (their ids are never given again) and the one free-id rule
    /// (``Hosting/freeIDTest()``: nothing of that id on disk either), read once by ``readingIDFactsOnce()``
    /// for the many rows of an import, else when an id is checked.
    private var moves: [ConfirmedMove]?
    private var isFreeID: ((Int64) -> Bool)?

    init(hosting: Hosting) {
        self.hosting = hosting
    }

    /// The same rules with what the id rule reads taken once, for many rows.
    func readingIDFactsOnce(moves: [ConfirmedMove]? = nil) throws -> StructureRules {
        var rules = self
        rules.moves = try moves ?? registry.moves()
        rules.isFreeID = try hosting.freeIDTest()
        return rules
    }

    /// A required text: trimmed, refused when empty.
    func required(_ value: String) -> (String, StructureRuleViolation?) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return (trimmed, trimmed.isEmpty ? .required : nil)
    }

    /// A UAI's form and check letter.
    func uai(_ text: String) -> Result<UAI, StructureRuleViolation> {
        do { return .success(try UAI(validating: text)) } catch {
            return .failure(.invalidUAI(String(describing: error)))
        }
    }

    /// A UAI is hosted once.
    func uaiIsFree(_ uai: UAI) throws -> StructureRuleViolation? {
        try registry.structure(uai: uai).map { .uaiHosted(uai, by: $0) }
    }

    func email(_ text: String) -> Result<EmailAddress, StructureRuleViolation> {
        do { return .success(try EmailAddress(validating: text)) } catch {
            return .failure(.invalidEmail(String(describing: error)))
        }
    }

    /// The zone exists on this server.
    func zone(_ id: Int64) throws -> StructureRuleViolation? {
        try registry.zone(id: id) == nil ? .unknownZone(id) : nil
    }

    /// An id asked for: positive, not registered, not the id of an establishment that moved away, and
    /// nothing of it on disk — in that order, the first broken rule only.
    func baseID(_ id: Int64) throws -> StructureRuleViolation? {
        guard id > 0 else { return .idNotPositive(id) }
        if let existing = try registry.structure(baseID: id) { return .idRegistered(id, by: existing) }
        if let move = try (moves ?? registry.moves()).first(where: { $0.baseID == id }) { return .idMovedAway(move) }
        if !(try isFreeID ?? hosting.freeIDTest())(id) {
            return .idTakenOnDisk(id, location: hosting.establishments.location(baseID: id))
        }
        return nil
    }
}
