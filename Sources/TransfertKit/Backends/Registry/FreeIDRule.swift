import Foundation

/// The one rule for the ids new establishments get, shared by every registry: above the largest
/// registered id, not reserved, and where nothing is left (`isFree`).
enum FreeIDRule {
    static func ids(count: Int, largestRegistered: Int64, reserved: Set<Int64>, isFree: (Int64) -> Bool) -> [Int64] {
        var next = largestRegistered + 1
        var ids: [Int64] = []
        while ids.count < count {
            if !reserved.contains(next) && isFree(next) { ids.append(next) }
            next += 1
        }
        return ids
    }
}
