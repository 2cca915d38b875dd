/// One ```sh block of a markdown file, as an operator would paste it.
struct DocumentationBlock {
    /// The markdown file, relative to the repository (`README.md`, `Docs/user-guide.md`).
    var file: String
    /// The line of the block's first code line in that file (1-based).
    var line: Int
    /// The code, one element per line, with the fence's indentation removed.
    var code: [String]
    /// What the `<!-- doc-test: … -->` comments just before the fence say about it.
    var markers: [DocumentationMarker]

    /// Where it is, as an editor opens it.
    var place: String { "\(file):\(line)" }

    /// Why it is not run, if a marker says so.
    var skipReason: String? {
        for case .skip(let reason) in markers { return reason }
        return nil
    }
}
