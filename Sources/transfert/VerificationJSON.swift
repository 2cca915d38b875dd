import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// `verify --json`: the report, and when the bundle is not verified, the `error` object every failure
/// has (`verify.not_verified`, exit code 2) beside it; each problem in the report has its own code and
/// place.
struct VerificationJSON: Encodable {
    var report: VerificationReport

    enum CodingKeys: String, CodingKey { case error }

    func encode(to encoder: any Encoder) throws {
        try report.encode(to: encoder)
        guard !report.isVerified else { return }
        var container = encoder.container(keyedBy: CodingKeys.self)
        let count = report.allProblems.count
        try container.encode(
            JSONErrorReport.ErrorObject(
                code: .verifyNotVerified,
                message: count == 0
                    ? "not verified: no establishment of the bundle was checked"
                    : "not verified: \(count) problem\(count == 1 ? "" : "s"); delete nothing on the source server",
                exitCode: 2), forKey: .error)
    }
}
