/// `transfert import --json`'s answer when nothing was imported because of the bundle's rows: beside the
/// `error` object, every problem with its place (`problems`), or what this hosting lacks (`prerequisites`).
/// The problems have the shape of every command's (`code`, `message`, `location`).
struct ImportProblemsJSON: Decodable, Sendable {
    var problems: [CommandError.Problem]
    var prerequisites: String?
}
