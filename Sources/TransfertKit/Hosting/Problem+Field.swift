import TransfertFormats
import TransfertModel
import TransfertStorage

extension Problem {
    /// A field of `structure add` that breaks a rule: the field (its registry name, `uai`, `contact_courriel`…)
    /// in the location and at the head of the sentence (`uai: 0750001U is already hosted here…`), as the
    /// command always printed it.
    static func field(_ field: String, code: ProblemCode, _ message: String) -> Problem {
        Problem(code: code, message: "\(field): \(message)", location: ProblemLocation(field: field))
    }
}
