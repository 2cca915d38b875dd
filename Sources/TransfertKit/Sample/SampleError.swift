import Foundation

/// Why `sample` refused — before it created anything.
public enum SampleError: Error, Equatable, Sendable, CustomStringConvertible, LocatedError {
    /// The hosting's application profile has not the tables (or columns) the generator writes.
    case profileLacksTables(profile: String, missing: [String])

    public var problemCode: String { "sample.profile" }
    public var location: ProblemLocation? { nil }

    public var description: String {
        switch self {
        case .profileLacksTables(let profile, let missing):
            return "nothing was created: sample writes the school profile's tables (Samples/school-profile.yaml), and this hosting's profile (\(profile)) lacks "
                + missing.joined(separator: ", ")
                + ". Fill a hosting of that profile otherwise: for SACoche, import a SACoche bundle (Tests/Fixtures/sacoche holds four); or init a hosting with Samples/school-profile.yaml for sample"
        }
    }
}
