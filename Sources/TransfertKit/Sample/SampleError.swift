import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Why `sample` refused — before it created anything.
public enum SampleError: Error, Equatable, Sendable, CustomStringConvertible, LocatedError {
    /// The hosting's application profile has not the tables (or columns) the generator writes.
    case profileLacksTables(profile: String, missing: [String], missingSACoche: [String])

    public var problemCode: ProblemCode { .sampleProfile }
    public var location: ProblemLocation? { nil }

    public var description: String {
        switch self {
        case .profileLacksTables(let profile, let missing, let missingSACoche):
            return
                "nothing was created: sample writes either the school profile's tables (Samples/school-profile.yaml) or SACoche's (Samples/sacoche-profile.yaml), and this hosting's profile (\(profile)) lacks "
                + missing.joined(separator: ", ") + " of the first and " + missingSACoche.joined(separator: ", ")
                + " of the second"
                + ". Fill it otherwise (import a bundle), or init a hosting with one of those profiles for sample"
        }
    }
}
