import Foundation

/// Where a running job stands, from the last `--progress json` line the command wrote: establishment k
/// of n, bytes, time left. What the job page's script polls.
public struct JobProgress: Sendable, Codable, Equatable {
    public var state: ConsoleJob.State
    public var task: String?
    public var label: String?
    public var doneItems: Int?
    public var totalItems: Int?
    public var doneAmount: Int64?
    public var totalAmount: Int64?
    public var unit: String?
    public var secondsLeft: Double?
    public var elapsed: Double?
    public var exitCode: Int32?

    enum CodingKeys: String, CodingKey {
        case state, task, label, unit, elapsed
        case doneItems = "done_items"
        case totalItems = "total_items"
        case doneAmount = "done_amount"
        case totalAmount = "total_amount"
        case secondsLeft = "seconds_left"
        case exitCode = "exit_code"
    }

    public init(state: ConsoleJob.State, exitCode: Int32?) {
        self.state = state
        self.exitCode = exitCode
    }

    /// The newest progress object among the last lines of the command's standard error (human sentences
    /// are mixed with them there; they are skipped).
    static func latest(in tail: String, state: ConsoleJob.State, exitCode: Int32?) -> JobProgress {
        var progress = JobProgress(state: state, exitCode: exitCode)
        for line in tail.split(separator: "\n").reversed() where line.hasPrefix("{") {
            guard let record = try? JSONDecoder().decode(Line.self, from: Data(line.utf8)) else { continue }
            progress.task = record.task
            progress.label = record.label
            progress.doneItems = record.done_items
            progress.totalItems = record.total_items
            progress.doneAmount = record.done_amount
            progress.totalAmount = record.total_amount
            progress.unit = record.unit
            progress.secondsLeft = record.seconds_left
            progress.elapsed = record.elapsed
            break
        }
        return progress
    }

    private struct Line: Decodable {
        var task: String?
        var label: String?
        var unit: String?
        var done_items: Int?
        var total_items: Int?
        var done_amount: Int64?
        var total_amount: Int64?
        var seconds_left: Double?
        var elapsed: Double?
    }
}
