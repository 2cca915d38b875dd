import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The directory a command was pointed at (or fell back to) holds no hosting. The message says which
/// directory was tried and why that one, how to point at the right one, and only then how to create one:
/// advising `transfert init` first would create a second, empty hosting wherever the operator stands.
public enum HostingLocationError: Error, Equatable, Sendable, CustomStringConvertible {
    case noHosting(ChosenHostingDirectory, directoryExists: Bool)

    public var description: String {
        switch self {
        case .noHosting(let chosen, let exists):
            let path = chosen.directory.path
            let what =
                exists
                ? "it holds no hosting (no \(Hosting.configurationFileName) in it)" : "that directory does not exist"
            let point =
                "Point at your hosting with --hosting DIR (the directory that holds \(Hosting.configurationFileName)), or for the whole shell session: export TRANSFERT_HOSTING=DIR."
            switch chosen.source {
            case .defaultDirectory:
                return
                    "no hosting given: neither --hosting nor $TRANSFERT_HOSTING is set, so ./hosting was tried (\(path)), and \(what). \(point) To create a new hosting instead: transfert --hosting DIR init --name NAME --base-url URL"
            case .environment:
                return
                    "$TRANSFERT_HOSTING is \(path), and \(what). Correct it (export TRANSFERT_HOSTING=DIR) or give --hosting DIR. To create a new hosting there instead: transfert init --name NAME --base-url URL"
            case .option:
                return
                    "--hosting \(path): \(what). Check the path: --hosting DIR (or export TRANSFERT_HOSTING=DIR) names the directory that holds \(Hosting.configurationFileName). To create a new hosting there instead: transfert --hosting \(path) init --name NAME --base-url URL"
            }
        }
    }
}

extension HostingLocationError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .noHosting: return .hostingLocationNoHosting
        }
    }
}
