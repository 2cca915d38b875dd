import Foundation

/// A `feed membership --json` report, read as the command writes it: its head, one outcome per line,
/// then the totals. A file of a million rows gives a report of a million lines; the page keeps the
/// first ``shownRows`` outcomes (failed rows first among them, up to the same number) and counts the rest,
/// so that reading it costs one line in memory at a time beyond those kept.
struct FeedReportSummary: Sendable {
    struct Outcome: Decodable, Sendable {
        var kind: String
        var line: Int?
        var course: String?
        var person: String?
        var field: String?
        var value: String?
        var reason: String?
    }

    struct Totals: Decodable, Sendable {
        var created: Int
        var updated: Int
        var unchanged: Int
        var disabled: Int
        var moved: Int
        var failed: Int
    }

    private struct Head: Decodable {
        var base_id: Int64
        var operation: String
        var integration: String
        var data_source: String
        var run: Int64
        var dry_run: Bool
        var notes: [String]
    }

    var baseID: Int64
    var operation: String
    var integration: String
    var dataSource: String
    var run: Int64
    var dryRun: Bool
    var notes: [String]
    /// The first outcomes in the report's order.
    var rows: [Outcome]
    /// Failed outcomes that come after the first ``rows`` (up to the same limit), so that no failure
    /// hides behind the page's limit.
    var laterFailures: [Outcome]
    var totals: Totals
    /// Outcomes in the report, all kinds.
    var rowCount: Int

    static let shownRows = 1_000

    /// `nil` when `data` is not such a report (an error object, a truncated file).
    static func read(_ data: Data, keeping limit: Int = shownRows) -> FeedReportSummary? {
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        guard lines.count >= 2, var headText = String(data: Data(lines[0]), encoding: .utf8) else { return nil }
        let decoder = JSONDecoder()
        // The head ends `"rows":[` (and `],` when there is no row): closed, it decodes alone.
        if headText.hasSuffix("],") { headText.removeLast(2) }
        guard headText.hasSuffix("\"rows\":[") else { return nil }
        headText.removeLast("\"rows\":[".count)
        if headText.hasSuffix(",") { headText.removeLast() }
        guard let head = try? decoder.decode(Head.self, from: Data((headText + "}").utf8)) else { return nil }
        var rows: [Outcome] = []
        var laterFailures: [Outcome] = []
        var count = 0
        for line in lines.dropFirst().dropLast() {
            var slice = line[...]
            // `{…},` or `{…}],`: the outcome, then the array's punctuation.
            while let last = slice.last, last == UInt8(ascii: ",") || last == UInt8(ascii: "]") {
                slice = slice.dropLast()
            }
            guard let outcome = try? decoder.decode(Outcome.self, from: Data(slice)) else { return nil }
            count += 1
            if rows.count < limit {
                rows.append(outcome)
            } else if outcome.kind == "failed", laterFailures.count < limit {
                laterFailures.append(outcome)
            }
        }
        guard let last = lines.last, last.starts(with: Array("\"totals\":".utf8)),
            let totals = try? decoder.decode(
                [String: Totals].self,
                from: Data("{".utf8) + Data(last.dropLast(last.last == UInt8(ascii: "}") ? 1 : 0)) + Data("}".utf8))[
                    "totals"]
        else { return nil }
        return FeedReportSummary(
            baseID: head.base_id, operation: head.operation, integration: head.integration,
            dataSource: head.data_source, run: head.run, dryRun: head.dry_run, notes: head.notes, rows: rows,
            laterFailures: laterFailures, totals: totals, rowCount: count)
    }
}
