/// An error made of several problems (every row refused, every entry unsafe): `--json` lists them as objects
/// under the error's `problems` key, beside the message that says them all in words.
public protocol ProblemListError: LocatedError {
    var problems: [Problem] { get }
}
