import Foundation
import TransfertKit

/// How `feed membership` prints a run: a line per record (read back from the run's spool, so what is
/// shown is what was committed or rolled back), then the totals; or one JSON object.
enum FeedReportPrinter {
    static func printText(_ report: FeedRunReport) throws {
        try report.outcomes.forEachOutcome { outcome in
            var text = outcome.line.map { "line \($0)" } ?? "absent"
            text += ": \(outcome.kind.rawValue) \(outcome.person ?? "?") in \(outcome.course ?? "?")"
            if outcome.kind == .failed {
                text +=
                    " — field \(outcome.field ?? "?")\(outcome.value.map { " ('\($0)')" } ?? ""): \(outcome.reason ?? "")"
            } else if let reason = outcome.reason {
                text += " (\(reason))"
            }
            print(text)
        }
        for note in report.notes { print("note: \(note)") }
        let t = report.totals
        print(
            "Establishment \(report.baseID), \(report.operation.rawValue) by integration \(report.integration) (data source \(report.dataSource)), run \(report.runID): \(t.created) created, \(t.updated) updated, \(t.unchanged) unchanged, \(t.disabled) disabled, \(t.moved) moved, \(t.failed) failed."
        )
        if report.dryRun {
            print("Dry run: nothing was applied.")
        } else if t.failed > 0 {
            print("\(t.failed) row(s) failed and were not applied; the other rows were applied.")
        }
    }

    /// `{"base_id":…, "operation":…, "rows":[…], "totals":{…}, …}`, written as it is read back: one outcome
    /// in memory at a time.
    static func printJSON(_ report: FeedRunReport) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        func json(_ value: some Encodable) throws -> String {
            String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        var head = "{\"base_id\":\(report.baseID),\"operation\":\(try json(report.operation.rawValue))"
        head += ",\"integration\":\(try json(report.integration)),\"data_source\":\(try json(report.dataSource))"
        head += ",\"file\":\(try json(report.file)),\"run\":\(report.runID),\"dry_run\":\(report.dryRun)"
        head += ",\"notes\":\(try json(report.notes)),\"rows\":["
        print(head, terminator: "")
        var first = true
        try report.outcomes.forEachOutcome { outcome in
            print((first ? "\n" : ",\n") + (try json(outcome)), terminator: "")
            first = false
        }
        print("],\n\"totals\":\(try json(report.totals))}")
    }
}
