import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct LettersCommand: ParsableCommand, AuditedCommand {
    static let configuration = CommandConfiguration(
        commandName: "letters",
        abstract: "Write the letters that tell each establishment's contact where it now lives.",
        discussion: """
            One letter per establishment is written to the hosting's outbox/ as an .eml file: greeting, \
            name and UAI, this server's name, the new access URL (<base_url>?id=<id>), what moved (files \
            or not), the webmaster's signature. Nothing leaves the machine without --send (or `transfert \
            outbox send`): read them first with `transfert outbox show N`, N the letter's number (# in the \
            table printed, beside the establishment's Id). Writing letters again replaces the unsent letters \
            of the same establishments. Letters from a placeholder sender (webmaster.email left as \
            webmestre@example.org, or a reserved example domain) are written as drafts, never sent.
            Templates: fr (default) and en are built in, and maintenance-warning (-en) warns contacts of \
            their establishment's planned maintenance window (`transfert maintenance plan`); \
            --print-template fr prints one to copy and edit, \
            then --template FILE uses the copy. Variables: \(LetterVariables.letterVariableNames.joined(separator: ", ")).
            Examples: transfert letters --result bases_dump_….result.csv
                      transfert letters --ids 12,13 --template en --send
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @OptionGroup var audit: AuditOptions
    @OptionGroup var progressOptions: ProgressOptions

    @Option(
        name: .long, help: ArgumentHelp("Establishment ids, comma-separated.", valueName: "id,id…"),
        transform: parseIDList)
    var ids: [Int64]?

    @Option(
        name: .long,
        help: ArgumentHelp("An import's result CSV: a letter for every row imported.", valueName: "result.csv"))
    var result: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "fr, en, maintenance-warning (in each establishment's language; -fr, -en to force one), or a template file (default: each establishment's own language, else the hosting's: `structure language`).",
            valueName: "name|file"))
    var template: String?

    @Flag(name: .long, help: "Deliver the letters just written through the configured SMTP relay.")
    var send = false

    @Option(
        name: .customLong("print-template"),
        help: ArgumentHelp("Print a built-in template (fr, en) to copy and edit, and stop.", valueName: "name"))
    var printTemplate: String?

    func validate() throws {
        if printTemplate != nil { return }
        if (ids == nil) == (result == nil) {
            throw ValidationError("Give either --ids 12,13 or --result RESULT.csv (or --print-template fr).")
        }
    }

    func run() throws {
        if let printTemplate {
            guard LetterTemplate.builtInNames.contains(printTemplate) else {
                throw CommandFailure(
                    "no built-in template '\(printTemplate)': there are \(LetterTemplate.builtInNames.joined(separator: ", "))"
                )
            }
            print(try LetterTemplate.named(printTemplate).source)
            return
        }
        let hosting = try hostingOptions.open()
        let writer = LetterWriter(hosting: hosting)
        // A template named is for every letter; without one, each establishment's own language decides.
        // `maintenance-warning` is in each establishment's language too; `-fr`/`-en` force one.
        // A template named is read once, here: one that does not parse is refused before anything is selected.
        let templates =
            try self.template.map { name -> (Structure) throws -> LetterTemplate in
                if LetterWriter.isLanguageFamily(name) { return try writer.templatesInOwnLanguage(of: name) }
                let fixed = try LetterTemplate.named(name)
                return { _ in fixed }
            } ?? writer.templatesInOwnLanguage()
        var skipped: [String] = []
        let structures: [Structure]
        if let result {
            (structures, skipped) = try writer.structures(result: URL(fileURLWithPath: result))
        } else {
            structures = try writer.structures(ids: ids ?? [])
        }
        let written = try writeShowingProgress(
            try writer.letters(for: structures, templates: templates), writer: writer,
            progress: progressOptions, output: output)
        // With --send, --json prints the delivery (it lists every letter with its file and state).
        if !(send && output.json) { try reportWritten(written, skipped: skipped, hosting: hosting, json: output.json) }
        if send { try sendWritten(written, hosting: hosting, output: output, progress: progressOptions) }
    }
}

struct NewsletterCommand: ParsableCommand, AuditedCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsletter",
        abstract: "Write an information letter to the contacts of chosen establishments.",
        discussion: """
            The text of --body-file is framed for each contact, as SACoche does: a greeting with their \
            name before it; the webmaster's signature, a reminder of that establishment's access URL and \
            the project's site (project_site in transfert.yaml) after it. One .eml per contact goes to \
            outbox/; nothing is sent without --send (or `transfert outbox send`).
            Example: transfert newsletter --all --subject "Maintenance le 12 mars" --body-file message.txt
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @OptionGroup var audit: AuditOptions
    @OptionGroup var progressOptions: ProgressOptions
    @OptionGroup var selection: SelectionOptions

    @Option(name: .long, help: "The subject of the letter.")
    var subject: String

    @Option(
        name: .customLong("body-file"),
        help: ArgumentHelp("The text of the letter (UTF-8); - reads standard input.", valueName: "file"))
    var bodyFile: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Language of the greeting and footer for every letter: fr or en (default: each establishment's own, else the hosting's).",
            valueName: "fr|en"))
    var language: String?

    @Flag(name: .long, help: "Deliver the letters just written through the configured SMTP relay.")
    var send = false

    func validate() throws {
        if selection.ids == nil && !selection.all {
            throw ValidationError("Choose the establishments: --ids 12,13 or --all.")
        }
        if subject.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--subject must not be empty.")
        }
    }

    func run() throws {
        let hosting = try hostingOptions.open()
        let text: String
        do {
            let data =
                bodyFile == "-"
                ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: bodyFile))
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw CommandFailure("\(bodyFile) is not UTF-8 text: save it as UTF-8 and try again")
            }
            text = decoded
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure(
                "\(bodyFile) cannot be read (\(FileManager.default.fileExists(atPath: bodyFile) ? "permission denied" : "no such file")): give the file holding the letter's text"
            )
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw CommandFailure("\(bodyFile) is empty: write the letter's text in it")
        }
        let writer = LetterWriter(hosting: hosting)
        let (structures, skipped) =
            try selection.selection.map { (try writer.structures(ids: $0), []) } ?? writer.newsletterRecipients()
        guard !structures.isEmpty else {
            throw CommandFailure(
                (["this hosting has no establishment to write to"] + skipped).joined(separator: "\n"))
        }
        let written = try writeShowingProgress(
            try writer.newsletters(for: structures, subject: subject, text: text, language: language),
            writer: writer, progress: progressOptions, output: output)
        if !(send && output.json) {
            try reportWritten(written, skipped: skipped, hosting: hosting, json: output.json)
        }
        if send { try sendWritten(written, hosting: hosting, output: output, progress: progressOptions) }
    }
}

/// The table of letters just written, and what to do next. Each letter is shown with its number, the one
/// `outbox list` shows and `outbox show N` takes, beside its establishment's id: what is shown can be pasted.
func reportWritten(_ written: [Outbox.Written], skipped: [String], hosting: Hosting, json: Bool) throws {
    let outbox = Outbox(in: hosting.directory, registry: hosting.registry)
    let numbers = try outbox.numbers()
    warnIfPlaceholderSender(hosting: hosting, json: json)
    if json {
        return try printJSON(written.map { NumberedLetter(number: numbers[$0.message.file], message: $0.message) })
    }
    var table = TextTable(columns: [
        .init("#", alignment: .right), .init("Id", alignment: .right), .init("To"), .init("Subject"), .init("File"),
    ])
    for entry in written {
        let m = entry.message
        table.append([
            numbers[m.file].map(String.init) ?? "", m.baseID.map(String.init) ?? "", m.recipient, m.subject, m.file,
        ])
    }
    print(table.render())
    for line in skipped { print("Skipped: \(line)") }
    let replaced = written.flatMap(\.replaced)
    if !replaced.isEmpty {
        print(
            "Replaced \(replaced.count) unsent letter\(replaced.count == 1 ? "" : "s"): \(replaced.joined(separator: ", "))"
        )
    }
    print(
        "\(written.count) letter\(written.count == 1 ? "" : "s") written to \(outbox.directory.path)/ (# is the letter's number, Id its establishment)"
    )
    let first = written.first.flatMap { numbers[$0.message.file] }.map(String.init) ?? "1"
    print("Read one: transfert outbox show \(first);  deliver: transfert outbox send")
}

/// Letters may be written from a placeholder sender (they are drafts, to read), never sent: says so when they are.
func warnIfPlaceholderSender(hosting: Hosting, json: Bool) {
    let address = hosting.configuration.webmaster.email
    guard let reason = PlaceholderSender.reason(address) else { return }
    let file = hosting.directory.appendingPathComponent(Hosting.configurationFileName).path
    let text =
        "warning: these letters are from \(address), \(reason): `transfert outbox send` will not send them. Set webmaster.email (and webmaster.name) in \(file), then write them again."
    if json { printError(text) } else { print(text) }
}

/// A letter in `letters --json`: the outbox row and its number (`outbox show N`).
struct NumberedLetter: Encodable {
    var number: Int?
    var message: OutboxMessage

    func encode(to encoder: any Encoder) throws {
        try message.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(number, forKey: .number)
    }

    enum CodingKeys: String, CodingKey { case number }
}

/// Writes prepared letters to the outbox with a progress line (each is flushed to disk: hundreds take a while).
func writeShowingProgress(
    _ letters: [PreparedLetter], writer: LetterWriter, progress options: ProgressOptions,
    output: OutputOptions
) throws -> [Outbox.Written] {
    let progress = options.start(task: "letters", itemName: "letters", unit: .items, output: output)
    defer { progress?.end() }
    return try writer.write(letters, work: progress?.work)
}

/// `--send`: delivers exactly the letters just written.
func sendWritten(_ written: [Outbox.Written], hosting: Hosting, output: OutputOptions, progress: ProgressOptions) throws
{
    guard !written.isEmpty else { return }
    try deliver(hosting: hosting, only: written.map(\.message.file), output: output, progress: progress)
}

/// `import --notify`: the default letter for every establishment this run imported.
/// `template` nil: each establishment's letter in its own language (carried by the bundle), else the hosting's.
func writeNotificationLetters(_ report: ImportReport, hosting: Hosting, template: LetterTemplate?, json: Bool) throws {
    let writer = LetterWriter(hosting: hosting)
    let ids = report.establishments.filter { $0.outcome == .imported }.compactMap(\.newID)
    guard !ids.isEmpty else { return }
    let templates = try template.map { chosen in { (_: Structure) in chosen } } ?? writer.templatesInOwnLanguage()
    let written = try writer.write(try writer.letters(for: try writer.structures(ids: ids), templates: templates))
    // With --json the import's report is the output; the letters are listed by `transfert outbox list --json`.
    guard !json else { return }
    print("")
    try reportWritten(written, skipped: [], hosting: hosting, json: false)
}
