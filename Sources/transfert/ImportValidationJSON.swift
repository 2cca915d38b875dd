import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// `import --json`'s answer when nothing was imported: the `error` object every failure has, and every
/// problem with its code and place (`problems`), or what this hosting lacks first (`prerequisites`).
struct ImportValidationJSON: Encodable {
    var error: JSONErrorReport.ErrorObject
    var problems: [Row]
    var prerequisites: String?

    init(_ validation: ImportValidationError) {
        error = JSONErrorReport.ErrorObject(
            code: validation.problemCode,
            message: validation.prerequisites
                ?? "nothing was imported: \(validation.problems.count) problem\(validation.problems.count == 1 ? "" : "s") (see problems)",
            exitCode: 1)
        problems = validation.problems.map(Row.init)
        prerequisites = validation.prerequisites
    }

    /// One problem in the shape the user guide published first — flat `code`, `file`, `line`, `column`,
    /// `value`, `establishment`, `message` — and, added beside them, the `location` object every other
    /// report's problems carry.
    struct Row: Encodable {
        var problem: Problem

        enum CodingKeys: String, CodingKey {
            case code, file, line, column, value, establishment, message, location
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            let location = problem.location
            try container.encode(problem.code, forKey: .code)
            try container.encodeIfPresent(location?.file, forKey: .file)
            try container.encodeIfPresent(location?.line, forKey: .line)
            try container.encodeIfPresent(location?.field, forKey: .column)
            try container.encodeIfPresent(location?.value, forKey: .value)
            try container.encodeIfPresent(location?.establishment, forKey: .establishment)
            try container.encode(problem.messageWithoutImportRowPlace, forKey: .message)
            try container.encodeIfPresent(location, forKey: .location)
        }
    }
}
