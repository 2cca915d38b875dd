import Foundation
import TransfertModel

/// Why an anonymised copy cannot be made as the profile describes it: refused, never a bundle that would
/// merge two people or hold a value its column cannot store.
public enum AnonymisationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two different values of a unique column got the same pseudonym: carrying it would merge two people.
    case collision(table: String, column: String)
    /// The column is too short for a pseudonym of its kind (an e-mail under `@anonyme.invalid`).
    case columnTooShort(table: String, column: String, kind: PersonalDataKind, length: Int, needed: Int)

    public var description: String {
        switch self {
        case .collision(let table, let column):
            return
                "two different values of \(table).\(column), a unique column, got the same pseudonym: the copy would merge two people. Export the anonymised copy again (each export draws a new key)"
        case .columnTooShort(let table, let column, let kind, let length, let needed):
            return
                "\(table).\(column) holds at most \(length) characters, and a pseudonym of kind \(kind.rawValue) needs \(needed): change its kind under `personal_data:` in the application profile (e.g. text)"
        }
    }
}

extension AnonymisationError: LocatedError {
    public var problemCode: ProblemCode { .contentSelection }
    public var location: ProblemLocation? {
        switch self {
        case .collision(let table, let column), .columnTooShort(let table, let column, _, _, _):
            return ProblemLocation(field: "\(table).\(column)")
        }
    }
}
