import Foundation

/// A piece of work the console started on the server (an export, an import, letters, a backup…): one run
/// of the `transfert` command, for one signed-in user. It outlives the page that started it; its record,
/// output and progress live in `console/jobs/<id>/` of the hosting.
public struct ConsoleJob: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        case running
        case succeeded
        /// The command ended with a non-zero status: its output says why.
        case failed
        /// The console stopped (or was killed) while the job ran: nobody saw it end.
        case interrupted
    }

    public var id: String
    /// What it does, for its page: `export`, `import`, `verify`, `letters`, `backup`, `restore`, `feed`, `doctor`…
    public var kind: String
    /// What the list of jobs shows.
    public var title: String
    public var user: String
    /// The command's arguments after `transfert --hosting DIR --json`.
    public var arguments: [String]
    /// Commands run after the first one succeeded, in order (an export's verification); the job fails at
    /// the first that fails. Each writes its result to its own file (``JobStore/output(of:step:)``).
    public var followingSteps: [[String]]
    /// The step running now or last run: 0 for ``arguments``, 1 for the first of ``followingSteps``…
    public var step: Int
    public var establishments: [Int64]
    public var state: State
    public var startedAt: Date
    public var endedAt: Date?
    public var exitCode: Int32?
    public var pid: Int32?
    /// Values a page keeps with the job (the bundle's directory, the upload's id…).
    public var details: [String: String]

    public init(
        id: String, kind: String, title: String, user: String, arguments: [String], establishments: [Int64],
        startedAt: Date, details: [String: String] = [:]
    ) {
        self.id = id
        self.kind = kind
        self.title = title
        self.user = user
        self.arguments = arguments
        self.followingSteps = []
        self.step = 0
        self.establishments = establishments
        self.state = .running
        self.startedAt = startedAt
        self.details = details
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, title, user, arguments, establishments, state
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case exitCode = "exit_code"
        case pid, details, step
        case followingSteps = "following_steps"
    }

    /// Every step's arguments, the first one included.
    public var steps: [[String]] { [arguments] + followingSteps }

    /// `20261207-175512-3fa9c1`: sortable by time, unguessable enough not to be walked, and safe in a path.
    static func newID(now: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let suffix = ConsoleToken.random().prefix(10).map { $0 == "-" || $0 == "_" ? "x" : $0 }
        return formatter.string(from: now) + "-" + String(suffix)
    }

    /// Ids as ``newID(now:)`` makes them, and nothing else (no dots, no slashes): safe to join to a path.
    public static func isWellFormed(id: String) -> Bool {
        id.utf8.count <= 40 && !id.isEmpty
            && id.utf8.allSatisfy {
                (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 45
            }
    }
}
