import Foundation
import TransfertFormats
import TransfertModel

/// One of the profile's `restore_checks` measured on the bundle's content and on the establishment.
public struct RestoreCheckResult: Codable, Equatable, Sendable {
    public struct Line: Codable, Equatable, Sendable {
        public var label: String
        /// Rows counted in the bundle's content.
        public var bundle: Int64
        /// Before the restore (`--merge` only).
        public var before: Int64?
        /// In the establishment after the restore.
        public var after: Int64
        /// In words when not as expected ("3 fewer than the bundle"); `nil` when it is.
        public var difference: String?
    }

    public var key: String
    public var label: String
    public var lines: [Line]
    /// The query could not run (on either side): why.
    public var problem: String?

    /// Every line as expected, and the query ran.
    public var isEqual: Bool { problem == nil && lines.allSatisfy { $0.difference == nil } }
}

/// Runs the profile's restore checks — each query gives (label, count) rows — on one database.
struct RestoreCheckRunner {
    let checks: [ApplicationProfile.RestoreCheck]

    /// Counts by label, per check key; a check whose query fails is absent, with its error in `failures`.
    func measure(_ reader: any EstablishmentReader) -> (counts: [String: [String: Int64]], failures: [String: String]) {
        var counts: [String: [String: Int64]] = [:]
        var failures: [String: String] = [:]
        for check in checks {
            do {
                var byLabel: [String: Int64] = [:]
                for row in try reader.rows(check.query) where row.count >= 2 {
                    let label = Self.text(row[0])
                    let (sum, overflow) = byLabel[label, default: 0].addingReportingOverflow(Self.count(row[1]))
                    byLabel[label] = overflow ? Int64.max : sum
                }
                counts[check.key] = byLabel
            } catch {
                failures[check.key] = String(describing: error)
            }
        }
        return (counts, failures)
    }

    /// `--replace`: the establishment must hold exactly the bundle's counts.
    func compare(bundle: [String: [String: Int64]], after: [String: [String: Int64]], failures: [String: String])
        -> [RestoreCheckResult]
    {
        checks.map { check in
            let wanted = bundle[check.key] ?? [:]
            let got = after[check.key] ?? [:]
            let labels = Set(wanted.keys).union(got.keys).sorted()
            let lines = labels.map { label -> RestoreCheckResult.Line in
                let b = wanted[label] ?? 0
                let a = got[label] ?? 0
                return .init(label: label, bundle: b, before: nil, after: a, difference: Self.difference(a, from: b))
            }
            return RestoreCheckResult(key: check.key, label: check.label, lines: lines, problem: failures[check.key])
        }
    }

    /// `--merge`: nothing may be lost (after ≥ before), and everything the bundle holds must be there
    /// (after ≥ bundle: matched rows count once, so the establishment holds at least the bundle's).
    func compare(
        before: [String: [String: Int64]], bundle: [String: [String: Int64]], after: [String: [String: Int64]],
        failures: [String: String]
    ) -> [RestoreCheckResult] {
        checks.map { check in
            let was = before[check.key] ?? [:]
            let wanted = bundle[check.key] ?? [:]
            let got = after[check.key] ?? [:]
            let labels = Set(was.keys).union(wanted.keys).union(got.keys).sorted()
            let lines = labels.map { label -> RestoreCheckResult.Line in
                let w = was[label] ?? 0
                let b = wanted[label] ?? 0
                let a = got[label] ?? 0
                var problems: [String] = []
                if a < w { problems.append("\(w - a) fewer than before the merge") }
                if a < b { problems.append("\(b - a) fewer than the bundle holds") }
                return .init(
                    label: label, bundle: b, before: w, after: a,
                    difference: problems.isEmpty ? nil : problems.joined(separator: ", "))
            }
            return RestoreCheckResult(key: check.key, label: check.label, lines: lines, problem: failures[check.key])
        }
    }

    static func difference(_ after: Int64, from bundle: Int64) -> String? {
        if after == bundle { return nil }
        return after < bundle ? "\(bundle - after) fewer than the bundle" : "\(after - bundle) more than the bundle"
    }

    static func text(_ value: SQLValue) -> String {
        switch value {
        case .null: return "(none)"
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return v
        case .blob(let v): return "\(v.count) bytes"
        }
    }

    static func count(_ value: SQLValue) -> Int64 {
        switch value {
        case .integer(let v): return v
        case .real(let v): return Int64(exactly: v.rounded()) ?? 0
        case .text(let v): return Int64(v) ?? 0
        default: return 0
        }
    }
}
