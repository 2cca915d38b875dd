import Foundation

/// A point where the process kills itself with SIGKILL, for the crash-recovery tests only: the variable
/// `TRANSFERT_TEST_KILL_AT` names the point (`index-build`). Random kill times rarely land inside a short
/// step, and the tests must prove that a crash *there* leaves either nothing or a whole import once the
/// command is run again. Unset (always, outside those tests), nothing happens.
///
/// ```swift
/// if TestCrashPoint.indexBuild.isArmed { … arrange to be killed in the middle of the step … }
/// ```
package enum TestCrashPoint: String, Sendable {
    /// While SQLite builds an index of a restored table (its sorter running).
    case indexBuild = "index-build"

    /// The variable read, once, by the first ask.
    static let variable = "TRANSFERT_TEST_KILL_AT"
    private static let armed = ProcessInfo.processInfo.environment[variable].flatMap(TestCrashPoint.init(rawValue:))

    package var isArmed: Bool { Self.armed == self }

    /// Dies at once, as `kill -9` from outside would: no cleanup, no buffered output written.
    package static func die() -> Never {
        kill(getpid(), SIGKILL)
        fatalError("SIGKILL did not stop the process")
    }
}
