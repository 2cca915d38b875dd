import TransfertKit

/// `import --json`'s answer when nothing was imported.
struct ImportValidationJSON: Encodable {
    var problems: [ImportProblem]
    var prerequisites: String?
}
