import Foundation
import TransfertModel

/// The ids a killed import had claimed, given back to the same establishments when the import is run again.
///
/// Restores run two at a time and finish in any order, so a killed import can leave a later row imported
/// and an earlier one half done. Without this, the rerun would give the earlier row a new id above the
/// largest registered one, and the hosting would differ from a clean import of the same bundle (ids,
/// access URLs, database and files names). An abandoned claim was never active — no address of it was
/// ever given out — so giving its id back to the establishment (same GUID) that held it is safe.
struct ReclaimedIDs {
    /// The claimed id of each abandoned establishment, by lowercased GUID.
    private let byGUID: [String: Int64]

    /// `claims`: the registry rows ``Doctor`` removed; only ids that are free again (no registry row, no
    /// database, no files directory, no move away) are given back.
    init(claims: [Structure], hosting: Hosting) throws {
        guard !claims.isEmpty else {
            byGUID = [:]
            return
        }
        let isFree = try hosting.freeIDTest()
        var byGUID: [String: Int64] = [:]
        for claim in claims where try hosting.registry.structure(baseID: claim.baseID) == nil && isFree(claim.baseID) {
            byGUID[claim.guid.uuidString.lowercased()] = claim.baseID
        }
        self.byGUID = byGUID
    }

    /// The id to claim for `structure` of a row without `Id_Import`: the one its killed run had, else 0 (a
    /// new one, by the registry's rule).
    func id(for structure: Structure) -> Int64 {
        byGUID[structure.guid.uuidString.lowercased()] ?? 0
    }
}
