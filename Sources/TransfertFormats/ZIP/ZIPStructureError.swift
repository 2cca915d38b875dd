import TransfertModel

/// Why a ZIP's structure is refused, in words for the person who has to fetch the file again: the
/// reader throws it, ``BundleArchive`` names the file (``BundleReadError/malformed(_:reason:)``).
struct ZIPStructureError: Error, Equatable, Sendable, CustomStringConvertible {
    var reason: String
    init(_ reason: String) { self.reason = reason }
    var description: String { reason }
}

extension ZIPStructureError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    var problemCode: ProblemCode { .zipMalformed }
}
