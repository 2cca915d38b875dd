import Foundation
import TransfertModel

/// A value of `manifest.json` that no export writes: a negative size or row count, sizes whose sum does
/// not fit in 64 bits, a name that is not the format's (`base_<id>`, `base_<id>/NNNNNN.sql`,
/// `base_<id>/files/…`). Refused before anything is read or restored, with the establishment, the field
/// and the value named.
public struct ManifestValueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Its `nom_fichier` when that one is well-formed, else its place in the list (`establishments[3]`).
    public var establishment: String?
    /// The JSON path inside the establishment (`tables[2].rows`, `files[0].path`).
    public var field: String
    public var value: String
    public var message: String

    public init(establishment: String?, field: String, value: String, message: String) {
        self.establishment = establishment
        self.field = field
        self.value = value
        self.message = message
    }

    public var description: String {
        let shown = value.count > 200 ? String(value.prefix(200)) + "…" : value
        let place = establishment.map { "establishment \($0), " } ?? ""
        return
            "\(place)\(field) = \(shown.debugDescription): \(message); the bundle was altered or damaged: export it again from the source server"
    }
}

extension ManifestValueError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode { .manifestInvalidValue }
}
