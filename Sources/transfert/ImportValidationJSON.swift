import TransfertKit

/// `import --json`'s answer when nothing was imported: the `error` object every failure has, and every
/// problem with its code and place (`problems`), or what this hosting lacks first (`prerequisites`).
struct ImportValidationJSON: Encodable {
    var error: JSONErrorReport.ErrorObject
    var problems: [ImportProblem]
    var prerequisites: String?

    init(_ validation: ImportValidationError) {
        error = JSONErrorReport.ErrorObject(
            code: validation.prerequisites != nil ? .importPrerequisites : .importInvalid,
            message: validation.prerequisites ?? "nothing was imported: \(validation.problems.count) problem\(validation.problems.count == 1 ? "" : "s") (see problems)",
            exitCode: 1)
        problems = validation.problems
        prerequisites = validation.prerequisites
    }
}
