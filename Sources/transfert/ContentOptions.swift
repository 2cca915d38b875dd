import ArgumentParser
import Foundation

/// `--without` and `--only`: the content categories (the profile's `categories:`) an export, a backup, an
/// import or a restore takes, parsed and checked the same way by each of them.
struct ContentOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Content categories to leave out, comma-separated (the profile's `categories:`; e.g. users,logs). Categories whose rows point at them are left out too, and named.",
            valueName: "category,…"),
        transform: parseCategoryList)
    var without: [String]?

    @Option(
        help: ArgumentHelp(
            "The only content categories to take, comma-separated (e.g. settings,groups); one that needs a category left out is refused.",
            valueName: "category,…"),
        transform: parseCategoryList)
    var only: [String]?

    /// Whether either option was given.
    var isGiven: Bool { without != nil || only != nil }

    func validate() throws {
        if without != nil && only != nil {
            throw ValidationError("Choose the content with one of --without or --only, not both.")
        }
    }
}
