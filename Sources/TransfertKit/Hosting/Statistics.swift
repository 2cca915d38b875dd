import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// One establishment's figures, as SACoche's webmaster statistics page shows them.
public struct EstablishmentStatistics: Sendable, Equatable {
    public var baseID: Int64
    public var denomination: String
    public var uai: String?
    /// The application profile's figures, in its order (staff, students, evaluations…).
    public var figures: [(key: String, value: SQLValue)]
    public var databaseBytes: Int64
    public var filesBytes: Int64
    public var filesCount: Int

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.baseID == rhs.baseID && lhs.databaseBytes == rhs.databaseBytes && lhs.filesBytes == rhs.filesBytes
            && lhs.figures.map(\.key) == rhs.figures.map(\.key) && lhs.figures.map(\.value) == rhs.figures.map(\.value)
    }
}

/// Statistics of several establishments and their totals.
public struct StatisticsReport: Sendable {
    public var profile: [ApplicationProfile.Statistic]
    public var rows: [EstablishmentStatistics]

    /// Totals per figure, following each statistic's `total` rule; `nil` where the profile says none.
    public var totals: [(key: String, value: SQLValue?)] {
        profile.map { statistic in
            let values = rows.compactMap { $0.figures.first(where: { $0.key == statistic.key })?.value }
            switch statistic.total {
            case .sum:
                // The figures are whatever the establishments' databases hold (imported data): a sum beyond
                // 64 bits is said as such, never a trap nor a wrapped number.
                guard let total = values.compactMap(\.integerValue).checkedSum() else {
                    return (statistic.key, .text("more than \(Int64.max)"))
                }
                return (statistic.key, .integer(total))
            case .max:
                let texts = values.compactMap(\.textValue)
                return (statistic.key, texts.max().map(SQLValue.text) ?? .null)
            case nil: return (statistic.key, nil)
            }
        }
    }

    public var totalDatabaseBytes: Int64 { rows.lazy.map(\.databaseBytes).saturatingSum() }
    public var totalFilesBytes: Int64 { rows.lazy.map(\.filesBytes).saturatingSum() }
    public var totalFilesCount: Int { rows.lazy.map(\.filesCount).saturatingSum() }
}

extension Hosting {
    /// Computes statistics for `baseIDs` (all establishments when `nil`), in id order.
    public func statistics(baseIDs: [Int64]?) throws -> StatisticsReport {
        let structures = try selectStructures(baseIDs)
        let rows = try structures.map { structure in
            let figures = try establishments.read(baseID: structure.baseID) { reader in
                try profile.statistics.map { statistic in (statistic.key, try reader.scalar(statistic.query)) }
            }
            let files = try FileTree.summary(of: filesDirectory(baseID: structure.baseID))
            return EstablishmentStatistics(
                baseID: structure.baseID, denomination: structure.denomination, uai: structure.uai?.rawValue,
                figures: figures, databaseBytes: try establishments.storageSize(baseID: structure.baseID),
                filesBytes: files.bytes, filesCount: files.count)
        }
        return StatisticsReport(profile: profile.statistics, rows: rows)
    }

    /// The structures with these ids, in id order, or all of them; an unknown id is an error.
    public func selectStructures(_ baseIDs: [Int64]?) throws -> [Structure] {
        guard let baseIDs else { return try registry.structures() }
        return try Set(baseIDs).sorted().map { id in
            guard let structure = try registry.structure(baseID: id) else { throw RegistryError.unknownStructure(id) }
            return structure
        }
    }
}
