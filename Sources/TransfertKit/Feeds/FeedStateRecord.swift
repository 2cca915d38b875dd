import Foundation
import TransfertFormats

/// One record of `transfert_feed_membership` as a run reads it before changing it.
struct FeedStateRecord: Equatable {
    var integration: String
    var dataSource: String
    var rowStatus: RowStatus
    var available: Bool
    var role: String?
    var disabledAt: String?
    var seenRun: Int64
    var seenLine: Int64

    static let columns =
        "integration, data_source, row_status, available, role, disabled_at, seen_run, seen_line"

    init(
        integration: String, dataSource: String, rowStatus: RowStatus, available: Bool, role: String?,
        disabledAt: String?, seenRun: Int64, seenLine: Int64
    ) {
        self.integration = integration
        self.dataSource = dataSource
        self.rowStatus = rowStatus
        self.available = available
        self.role = role
        self.disabledAt = disabledAt
        self.seenRun = seenRun
        self.seenLine = seenLine
    }

    /// A row of ``columns``; a value a hand edit made unreadable reads as disabled and unavailable, which
    /// keeps the membership out rather than in.
    init(row: [SQLValue]) {
        integration = row[0].textValue ?? ""
        dataSource = row[1].textValue ?? ""
        rowStatus = row[2].textValue.flatMap(RowStatus.init(field:)) ?? .disabled
        available = row[3].integerValue == 1
        role = row[4].textValue
        disabledAt = row[5].textValue
        seenRun = row[6].integerValue ?? 0
        seenLine = row[7].integerValue ?? 0
    }

    /// Whether the application's membership row should exist.
    var isActive: Bool { rowStatus == .enabled && available }

    /// Whether two states say the same thing (when last seen aside).
    func sameState(as other: FeedStateRecord) -> Bool {
        integration == other.integration && dataSource == other.dataSource && rowStatus == other.rowStatus
            && available == other.available && role == other.role
    }
}
