import Foundation
import TransfertFormats
import TransfertModel

/// The one rule for the ids new establishments get, shared by every registry: above the largest
/// registered id, not reserved, and where nothing is left (`isFree`).
enum FreeIDRule {
    /// Throws ``RegistryError/noFreeIDAbove(_:)`` when the ids above `largestRegistered` run out before
    /// `count` are found: the largest id may be `Int64.max` (an `Id_Import` chose it), and counting on
    /// past it would trap.
    static func ids(count: Int, largestRegistered: Int64, reserved: Set<Int64>, isFree: (Int64) -> Bool)
        throws(RegistryError) -> [Int64]
    {
        var ids: [Int64] = []
        guard count > 0 else { return ids }
        var candidate = largestRegistered
        while ids.count < count {
            let (next, overflow) = candidate.addingReportingOverflow(1)
            guard !overflow else { throw .noFreeIDAbove(largestRegistered) }
            candidate = next
            if !reserved.contains(candidate) && isFree(candidate) { ids.append(candidate) }
        }
        return ids
    }
}
