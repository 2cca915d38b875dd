import Foundation

/// Where a piece of work stands, read at one instant: what a progress line or a JSON event shows.
public struct ProgressSnapshot: Sendable, Equatable {
    /// ``WorkProgress/begin(items:amount:)`` was called: before, the work is still preparing (an import
    /// validates every row first) and there is nothing to count yet.
    public var begun: Bool
    /// The command's verb ("import", "verify"…).
    public var task: String
    /// What one item is, in the plural ("establishments", "letters").
    public var itemName: String
    public var unit: ProgressUnit
    /// Items finished, and in all.
    public var doneItems: Int
    public var totalItems: Int
    /// The amount done; never above ``totalAmount`` when that is known.
    public var doneAmount: Int64
    /// The whole amount, when it is known in advance (an import knows its dumps' sizes; an export does not).
    public var totalAmount: Int64?
    /// The items being worked on now (two at once for exports and imports).
    public var current: [String]
    /// Seconds since the work began.
    public var elapsed: TimeInterval

    /// Amount per second since the start; `nil` before there is anything to divide.
    public var rate: Double? {
        guard elapsed > 0.5, doneAmount > 0 else { return nil }
        return Double(doneAmount) / elapsed
    }

    /// Seconds left: from the amount when its total is known, else from the items finished so far.
    public var secondsLeft: TimeInterval? {
        guard elapsed > 1 else { return nil }
        if let totalAmount, totalAmount > 0, let rate, rate > 0 {
            return Double(max(0, totalAmount - doneAmount)) / rate
        }
        guard doneItems > 0, totalItems > doneItems else { return nil }
        return elapsed / Double(doneItems) * Double(totalItems - doneItems)
    }
}
