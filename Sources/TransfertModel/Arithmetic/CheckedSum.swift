import Foundation

/// Sums that never trap: integers read from a bundle, a CSV or an establishment's database may be as large
/// as their type allows, and Swift's `+` stops the process on overflow. Where a sum must be exact,
/// ``checkedSum()`` says it does not fit (`nil`) and the caller refuses with the value named; where a sum
/// is only shown (a progress line), ``saturatingSum()`` stops at the type's maximum.
extension Sequence where Element: FixedWidthInteger {
    /// The exact sum, or `nil` when it does not fit in the type.
    public func checkedSum() -> Element? {
        var total: Element = 0
        for value in self {
            let (sum, overflow) = total.addingReportingOverflow(value)
            if overflow { return nil }
            total = sum
        }
        return total
    }

    /// The sum, held at the type's maximum (or minimum) instead of overflowing.
    public func saturatingSum() -> Element {
        reduce(0) { $0.saturatingAdding($1) }
    }
}

extension FixedWidthInteger {
    /// `self + other`, held at the type's bounds instead of overflowing.
    public func saturatingAdding(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }
}
