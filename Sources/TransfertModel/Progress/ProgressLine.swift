import Foundation

/// The one line a terminal shows while work goes on:
///
///     import  3/12 establishments · 45.2 of 120.0 MiB · 12.3 MiB/s · 6 s left · Collège Jean Moulin
///
/// Pure text, so that what users see is tested without a terminal; the display redraws it in place.
public enum ProgressLine {
    /// The line for `snapshot`, cut to `width` characters (the terminal's) so that it never wraps: a
    /// wrapped line cannot be redrawn in place.
    public static func render(_ snapshot: ProgressSnapshot, width: Int) -> String {
        var parts = [
            "\(snapshot.task)  \(min(snapshot.doneItems + snapshot.current.count, snapshot.totalItems))/\(snapshot.totalItems) \(snapshot.itemName)"
        ]
        if snapshot.unit != .items {
            if let total = snapshot.totalAmount {
                parts.append(
                    "\(amount(snapshot.doneAmount, snapshot.unit, scaleOf: total)) of \(amount(total, snapshot.unit))")
            } else if snapshot.doneAmount > 0 {
                parts.append(amount(snapshot.doneAmount, snapshot.unit))
            }
            if let rate = snapshot.rate { parts.append(amount(Int64(rate), snapshot.unit) + "/s") }
        }
        if let left = snapshot.secondsLeft { parts.append(duration(left) + " left") }
        if let current = snapshot.current.last { parts.append(current) }
        return cut(parts.joined(separator: " · "), to: width)
    }

    /// "45.2 MiB", "1,204 rows"; with `scaleOf`, in the unit the total is shown in ("45.2 of 120.0 MiB").
    static func amount(_ value: Int64, _ unit: ProgressUnit, scaleOf total: Int64? = nil) -> String {
        switch unit {
        case .bytes:
            let reference = Double(total ?? value)
            let (divisor, suffix): (Double, String) =
                reference >= 1_073_741_824
                ? (1_073_741_824, "GiB")
                : reference >= 1_048_576 ? (1_048_576, "MiB") : (1024, "KiB")
            let number = String(format: "%.1f", Double(value) / divisor)
            return total == nil ? "\(number) \(suffix)" : number
        case .rows:
            let number = value.formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))
            return total == nil ? "\(number) rows" : number
        case .items:
            return String(value)
        }
    }

    /// "6 s", "2 min 10 s", "1 h 05 min".
    static func duration(_ seconds: TimeInterval) -> String {
        let total = Int(seconds.rounded(.up))
        if total < 60 { return "\(total) s" }
        if total < 3600 { return "\(total / 60) min \(String(format: "%02d", total % 60)) s" }
        return "\(total / 3600) h \(String(format: "%02d", total % 3600 / 60)) min"
    }

    static func cut(_ line: String, to width: Int) -> String {
        guard width > 1, line.count > width - 1 else { return line }
        // One column short of the edge: some terminals wrap when the last column is written.
        return String(line.prefix(width - 2)) + "…"
    }
}
