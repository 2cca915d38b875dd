import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// `--hosting DIR`: an option of the root command (`Transfert`), so it is read before or after the
/// subcommand's name (`transfert --hosting DIR export …` and `transfert export --hosting DIR …`).
struct HostingOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The hosting directory.", discussion: "Default: $TRANSFERT_HOSTING, else ./hosting.", valueName: "dir"))
    var hosting: String?

    /// The directory, and whether it came from --hosting (before or after the command), $TRANSFERT_HOSTING
    /// or the `./hosting` fallback.
    var chosen: ChosenHostingDirectory { HostingLocation.choose(option: hosting) }

    var directory: URL { chosen.directory }

    /// The hosting; when the directory holds none, a refusal that names the directory tried and why.
    func open() throws -> Hosting {
        let chosen = self.chosen
        guard chosen.holdsHosting else { throw chosen.noHostingError }
        return try Hosting.open(at: chosen.directory)
    }

    /// The hosting when the directory holds one; `nil` when it does not (commands that can work without).
    func openIfPresent() throws -> Hosting? {
        guard chosen.holdsHosting else { return nil }
        return try open()
    }
}

/// `--json` and `--quiet`: how every command shows what it does. Options of the root command (`Transfert`),
/// read before or after the subcommand's name.
struct OutputOptions: ParsableArguments {
    @Flag(
        name: .long,
        help: "Print JSON (keys are the registry's field names) instead of a table; a failure is one JSON object too.")
    var json = false

    /// A command without a progress line satisfies it by itself: nothing is dropped by accepting it there.
    @Flag(name: .shortAndLong, help: "Show no progress line.")
    var quiet = false
}

/// `--ids 1,2 | --all`, the selection bulk commands take.
struct SelectionOptions: ParsableArguments {
    @Option(
        name: .long, help: ArgumentHelp("Establishment ids, comma-separated.", valueName: "id,id…"),
        transform: parseIDList)
    var ids: [Int64]?

    @Flag(name: .long, help: "Every establishment of the hosting.")
    var all = false

    func validate() throws {
        if ids != nil && all { throw ValidationError("Give either --ids or --all, not both.") }
    }

    /// `nil` means every establishment.
    var selection: [Int64]? { all ? nil : ids }
}

func parseIDList(_ text: String) throws -> [Int64] {
    try text.split(separator: ",").map { part in
        let trimmed = part.trimmingCharacters(in: .whitespaces)
        guard let id = Int64(trimmed), id > 0 else {
            throw ValidationError(
                "'\(trimmed)' is not an establishment id: ids are positive integers, e.g. --ids 1,4,7")
        }
        return id
    }
}

/// `users,logs` → ["users", "logs"]: names trimmed, empty ones refused.
func parseCategoryList(_ text: String) throws -> [String] {
    let names = text.split(separator: ",", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
    }
    guard !names.contains(where: \.isEmpty) else {
        throw ValidationError("'\(text)' is not a list of category names: write them comma-separated, e.g. users,logs")
    }
    return names
}

/// Prints a value as pretty JSON with sorted keys, accents kept as they are.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// A refusal found while running (not a misuse of the arguments): printed as `Error: …` without the
/// usage text, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// "CSV read as Windows-1252, separator ';'." — how a spreadsheet saved the CSV, when it was read.
func printCSVDetection(encoding: String?, separator: String?) {
    guard let encoding, let separator, let known = CSVSeparator(rawValue: separator) else { return }
    print("CSV read as \(encoding), separator \(known.label).")
}

/// A line on standard error (notes that must not mix with a command's output).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Runs a command's work; with `--json`, a failure is printed as one object on standard output
/// (``JSONErrorReport``) before the non-zero exit, so scripts read errors as they read results.
func reportingErrors(json: Bool, _ body: () throws -> Void) throws {
    guard json else { return try body() }
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        JSONErrorReport.print(error)
        throw ExitCode(Transfert.exitCode(for: error).rawValue == 0 ? 1 : Transfert.exitCode(for: error).rawValue)
    }
}
