import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// One line of `--progress json`. Keys absent when they do not apply (no total for an export's bytes).
struct ProgressRecord: Encodable, Sendable {
    var event: String
    var task: String
    var itemName: String
    var unit: String
    var index: Int?
    var label: String?
    var outcome: String?
    var doneItems: Int
    var totalItems: Int
    var doneAmount: Int64?
    var totalAmount: Int64?
    var rate: Double?
    var secondsLeft: Double?
    var elapsed: Double

    init(event: String, _ snapshot: ProgressSnapshot) {
        self.event = event
        task = snapshot.task
        itemName = snapshot.itemName
        unit = snapshot.unit.rawValue
        doneItems = snapshot.doneItems
        totalItems = snapshot.totalItems
        doneAmount = snapshot.unit == .items ? nil : snapshot.doneAmount
        totalAmount = snapshot.totalAmount
        rate = snapshot.rate.map { ($0 * 10).rounded() / 10 }
        secondsLeft = snapshot.secondsLeft.map { $0.rounded() }
        elapsed = (snapshot.elapsed * 1000).rounded() / 1000
    }

    enum CodingKeys: String, CodingKey {
        case event, task
        case itemName = "item_name"
        case unit, index, label, outcome
        case doneItems = "done_items"
        case totalItems = "total_items"
        case doneAmount = "done_amount"
        case totalAmount = "total_amount"
        case rate
        case secondsLeft = "seconds_left"
        case elapsed
    }
}
