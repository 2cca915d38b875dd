import Foundation

/// `{produced:.zip}` as an argument of a following step: the path of the one file the job's earlier steps
/// produced (in its `files/`) whose name ends with `.zip`. An export names its bundle itself
/// (`bases_dump_<date>_<random>`), so the verification that follows it can only be told where the bundle
/// is once the export has written it; the placeholder is replaced when the step starts, and the job's record
/// keeps the real command.
///
/// ```swift
/// try await jobs.start(kind: "export", …, arguments: ["export", "--ids", "1", "--out", "{files}"],
///                      then: [["verify", "{produced:.csv}", "{produced:.zip}"]])
/// ```
enum ProducedFileArgument {
    static let prefix = "{produced:"
    static let suffix = "}"

    /// Why a step's arguments could not be completed: what the step expected and what it found.
    struct Missing: Error, CustomStringConvertible {
        var ending: String
        var found: [String]

        var description: String {
            found.isEmpty
                ? "console: the previous step produced no file ending in '\(ending)': the next step was not run"
                : "console: the previous step produced \(found.count) files ending in '\(ending)' (\(found.joined(separator: ", "))), not one: the next step was not run"
        }
    }

    /// `{produced:.csv}` → `.csv`; `nil` for any other argument (which stays as it is).
    static func ending(of argument: String) -> String? {
        guard argument.hasPrefix(prefix), argument.hasSuffix(suffix), argument.count > prefix.count + suffix.count
        else { return nil }
        return String(argument.dropFirst(prefix.count).dropLast(suffix.count))
    }

    /// `arguments` with each placeholder replaced by the path of the one produced file that ends so.
    static func resolve(_ arguments: [String], store: JobStore, job id: String) throws(Missing) -> [String] {
        var resolved: [String] = []
        for argument in arguments {
            guard let ending = ending(of: argument) else {
                resolved.append(argument)
                continue
            }
            let matching = store.producedFiles(of: id).filter { $0.hasSuffix(ending) }
            guard matching.count == 1, let url = store.producedFile(of: id, named: matching[0]) else {
                throw Missing(ending: ending, found: matching)
            }
            resolved.append(url.path)
        }
        return resolved
    }
}
