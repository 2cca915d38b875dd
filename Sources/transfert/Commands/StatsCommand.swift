import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct StatsCommand: ParsableCommand, TransfertSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Per-establishment statistics (staff, students, evaluations, grades, sizes) and totals."
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @OptionGroup var selection: SelectionOptions

    func run() throws {
        let report = try hostingOptions.open().statistics(baseIDs: selection.selection)
        if output.json { return try printJSON(StatisticsJSON(report)) }
        var table = TextTable(
            columns: [.init("Id", alignment: .right), .init("Dénomination")]
                + report.profile.map { .init($0.label, alignment: .right) }
                + [.init("Database", alignment: .right), .init("Files", alignment: .right)])
        for row in report.rows {
            table.append(
                [String(row.baseID), row.denomination] + row.figures.map(\.value.description)
                    + [formatBytes(row.databaseBytes), "\(formatBytes(row.filesBytes)) (\(row.filesCount))"])
        }
        table.appendFooter(
            ["", "Total (\(report.rows.count))"] + report.totals.map { $0.value?.description ?? "" }
                + [
                    formatBytes(report.totalDatabaseBytes),
                    "\(formatBytes(report.totalFilesBytes)) (\(report.totalFilesCount))",
                ])
        print(table.render())
    }
}

/// `stats --json`: one object per establishment with the profile's keys, and a totals object.
struct StatisticsJSON: Encodable {
    let report: StatisticsReport
    init(_ report: StatisticsReport) { self.report = report }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var root = encoder.container(keyedBy: Key.self)
        var establishments = root.nestedUnkeyedContainer(forKey: Key("establishments"))
        for row in report.rows {
            var object = establishments.nestedContainer(keyedBy: Key.self)
            try object.encode(row.baseID, forKey: Key("base_id"))
            try object.encode(row.denomination, forKey: Key("denomination"))
            try object.encode(row.uai, forKey: Key("uai"))
            for figure in row.figures { try encode(figure.value, in: &object, key: figure.key) }
            try object.encode(row.databaseBytes, forKey: Key("database_bytes"))
            try object.encode(row.filesBytes, forKey: Key("files_bytes"))
            try object.encode(row.filesCount, forKey: Key("files_count"))
        }
        var totals = root.nestedContainer(keyedBy: Key.self, forKey: Key("totals"))
        try totals.encode(report.rows.count, forKey: Key("establishments"))
        for total in report.totals { if let value = total.value { try encode(value, in: &totals, key: total.key) } }
        try totals.encode(report.totalDatabaseBytes, forKey: Key("database_bytes"))
        try totals.encode(report.totalFilesBytes, forKey: Key("files_bytes"))
        try totals.encode(report.totalFilesCount, forKey: Key("files_count"))
    }

    private func encode(_ value: SQLValue, in container: inout KeyedEncodingContainer<Key>, key: String) throws {
        switch value {
        case .null: try container.encodeNil(forKey: Key(key))
        case .integer(let v): try container.encode(v, forKey: Key(key))
        case .real(let v): try container.encode(v, forKey: Key(key))
        case .text(let v): try container.encode(v, forKey: Key(key))
        case .blob(let v): try container.encode(v.base64EncodedString(), forKey: Key(key))
        }
    }
}
