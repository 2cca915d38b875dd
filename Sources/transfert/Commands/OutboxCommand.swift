import ArgumentParser
import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "List, read and deliver the letters waiting in the hosting's outbox/.",
        discussion: """
            Every letter is an .eml file in outbox/ with a state: pending (not sent yet), sent (accepted \
            by the relay, never sent again) or failed (refused; the relay's reply is kept and the next \
            `send` tries it again). Delete an .eml to cancel it.
            """,
        subcommands: [OutboxListCommand.self, OutboxShowCommand.self, OutboxSendCommand.self],
        defaultSubcommand: OutboxListCommand.self
    ).namingRootOptions()
}

struct OutboxListCommand: ParsableCommand, TransfertSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the outbox: state, attempts and the relay's last reply of every letter."
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @Option(help: ArgumentHelp("Only the letters in this state.", valueName: "pending|sent|failed"))
    var state: OutboxMessage.State?

    func run() throws {
        let hosting = try hostingOptions.open()
        let listing = try Outbox(in: hosting.directory, registry: hosting.registry).read()
        let messages = listing.messages.enumerated().filter { state == nil || $0.element.state == state }
        if output.json { return try printJSON(messages.map(\.element)) }
        var table = TextTable(columns: [
            .init("#", alignment: .right), .init("State"), .init("Tries", alignment: .right),
            .init("Id", alignment: .right),
            .init("To"), .init("Subject"), .init("Last reply"), .init("File"),
        ])
        for (index, m) in messages {
            table.append([
                String(index + 1), m.state.rawValue, String(m.attempts), m.baseID.map(String.init) ?? "", m.recipient,
                m.subject, m.lastReply ?? "", m.file,
            ])
        }
        print(table.render())
        for m in listing.cancelled {
            print("Cancelled: \(m.file) (to \(m.recipient)) was deleted, it will not be sent")
        }
        for file in listing.unrecorded {
            print(
                "Warning: \(file) is not recorded (its writing was interrupted) and will not be sent: delete it and write the letter again"
            )
        }
        let counts = OutboxMessage.State.allCases.map { s in
            "\(listing.messages.filter { $0.state == s }.count) \(s.rawValue)"
        }
        print(counts.joined(separator: ", "))
    }
}

extension OutboxMessage.State: ExpressibleByArgument {}

struct OutboxShowCommand: ParsableCommand, TransfertSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print one letter, decoded: its header fields and its text.",
        discussion: "Example: transfert outbox show 1   (the number `outbox list` shows, or the file name)"
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @Argument(help: ArgumentHelp("The letter's number in `outbox list`, or its file name.", valueName: "letter"))
    var letter: String
    @Flag(name: .long, help: "Print the .eml exactly as it will be sent (quoted-printable, CRLF).")
    var raw = false

    func validate() throws {
        if raw && output.json { throw ValidationError("Give --raw or --json, not both.") }
    }

    func run() throws {
        try reportingErrors(json: output.json) { try show() }
    }

    private func show() throws {
        let hosting = try hostingOptions.open()
        let outbox = Outbox(in: hosting.directory, registry: hosting.registry)
        let message = try outbox.message(letter)
        let data = try outbox.data(of: message)
        if output.json {
            let decoded = DecodedMessage(data)
            return try printJSON(
                ShownLetter(
                    message: message, path: outbox.url(of: message.file).path,
                    headers: Dictionary(
                        uniqueKeysWithValues: ["From", "To", "Date", "Subject"].map {
                            ($0.lowercased(), decoded[$0] ?? "")
                        }),
                    body: decoded.body))
        }
        if raw {
            FileHandle.standardOutput.write(data)
            return
        }
        let decoded = DecodedMessage(data)
        print("File:    \(outbox.url(of: message.file).path)")
        print("State:   \(message.state.rawValue)\(message.lastReply.map { " (\($0))" } ?? "")")
        for name in ["From", "To", "Date", "Subject"] {
            print("\(name):\(String(repeating: " ", count: 8 - name.count))\(decoded[name] ?? "")")
        }
        print("")
        print(decoded.body, terminator: decoded.body.hasSuffix("\n") ? "" : "\n")
    }
}

struct OutboxSendCommand: ParsableCommand, AuditedCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Deliver the letters not sent yet through the SMTP relay of transfert.yaml.",
        discussion: """
            Pending and failed letters are sent, in batches over one connection each; temporary failures \
            (4xx, lost connection) are retried, permanent ones (5xx) are marked failed with the relay's \
            reply. Sent letters are never sent again, so running send again delivers only what is left. \
            A relay that cannot be reached stops the run: nothing is lost, run it again later. Nothing is \
            sent from a placeholder sender (webmaster.email left as webmestre@example.org, or any address in \
            example.org/.com/.net, .example, .invalid, .test, .localhost): set webmaster.email in \
            transfert.yaml and write the letters again.
            Exit status: 0 all sent, 3 some failed, 1 the relay could not be used.
            """
    ).namingRootOptions()

    @ParentCommand var transfert: Transfert
    @OptionGroup var audit: AuditOptions
    @OptionGroup var progressOptions: ProgressOptions
    @Argument(
        help: ArgumentHelp(
            "Only these letters (numbers or file names). Default: every letter not sent.", valueName: "letter"))
    var letters: [String] = []

    @Flag(name: .customLong("dry-run"), help: "List what would be sent, and through which relay; connect to nothing.")
    var dryRun = false

    func run() throws {
        let hosting = try hostingOptions.open()
        guard dryRun else {
            return try deliver(
                hosting: hosting, only: letters.isEmpty ? nil : letters, output: output, progress: progressOptions)
        }
        let sender = outboxSender(of: hosting)
        let waiting = try sender.waiting(only: letters.isEmpty ? nil : letters)
        // The same refusal as a real run: a dry run that passes says the run would send.
        try reportingErrors(json: output.json) { try sender.checkSenders(of: waiting) }
        if output.json { return try printJSON(waiting) }
        guard let relay = hosting.configuration.smtp else {
            throw CommandFailure(
                "no smtp: section in transfert.yaml: nothing could be sent (see Docs/user-guide.md §10, Configure the relay)"
            )
        }
        let numbers = try sender.outbox.numbers()
        var table = TextTable(columns: [
            .init("#", alignment: .right), .init("Id", alignment: .right), .init("To"), .init("Subject"),
            .init("State"), .init("File"),
        ])
        for message in waiting {
            table.append([
                numbers[message.file].map(String.init) ?? "", message.baseID.map(String.init) ?? "—", message.recipient,
                message.subject, message.state.rawValue, message.file,
            ])
        }
        print(table.render())
        print(
            "Dry run: \(waiting.count) letter\(waiting.count == 1 ? "" : "s") would be delivered through \(relay); nothing was sent."
        )
    }
}

/// Sends, printing one line per letter (or JSON at the end); exit 3 when some failed.
func deliver(hosting: Hosting, only: [String]?, output: OutputOptions, progress options: ProgressOptions) throws {
    let json = output.json
    let sender = outboxSender(of: hosting)
    if !json, let relay = hosting.configuration.smtp { print("Delivering through \(relay)…") }
    let progress = options.start(task: "send", itemName: "letters", unit: .items, output: output)
    defer { progress?.end() }
    let report: OutboxSender.Report
    do {
        report = try sender.send(only: only, work: progress?.work) { message, outcome in
            guard !json else { return }
            let line: String
            switch outcome {
            case .sent(let reply, _): line = "sent     \(message.recipient)  \(message.file)  (\(reply))"
            case .failed(let reply, _): line = "FAILED   \(message.recipient)  \(message.file)  (\(reply))"
            case .retrying(let reply, let attempt, let wait):
                line = "retrying \(message.recipient) in \(Int(wait)) s (try \(attempt) failed: \(reply))"
            }
            if let progress {
                progress.printAbove(line)
            } else {
                print(line)
                fflush(nil)  // one line per letter as it goes, even into a pipe
            }
        }
        progress?.end()
    } catch let error as OutboxSendError {
        progress?.end()
        guard json else { throw CommandFailure(error.description) }
        // One object: what was delivered before the relay stopped the run, and why it stopped.
        var summary = error.report.map(DeliverySummary.init) ?? DeliverySummary()
        summary.error = JSONErrorReport.ErrorObject(error, exitCode: 1)
        try printJSON(summary)
        printError("Error: \(error.description)")
        throw ExitCode(1)
    }
    if json {
        var summary = DeliverySummary(report)
        guard !report.failed.isEmpty else { return try printJSON(summary) }
        // Done in part (exit 3, as without --json): the delivery, and the refused letters as problems.
        summary.error = JSONErrorReport.ErrorObject(
            code: .outboxRefused,
            message:
                "\(report.failed.count) letter\(report.failed.count == 1 ? " was" : "s were") refused by the relay",
            exitCode: 3,
            problems: report.failed.map { message in
                Problem(
                    code: .outboxRefused, message: "\(message.recipient): \(message.lastReply ?? "refused")",
                    location: ProblemLocation(file: message.file, value: message.recipient, baseID: message.baseID))
            })
        try printJSON(summary)
        throw ExitCode(3)
    }
    for m in report.cancelled { print("Cancelled: \(m.file) (to \(m.recipient)) was deleted, not sent") }
    for file in report.unrecorded {
        print("Warning: \(file) is not recorded and was not sent: delete it and write the letter again")
    }
    print(
        "\(report.sent.count) sent, \(report.failed.count) failed\(report.alreadySent > 0 ? ", \(report.alreadySent) already sent before" : "")."
    )
    if !report.failed.isEmpty {
        print(
            "Correct the causes (e.g. the contact's address: `transfert structure show ID`, then write the letter again) and run `transfert outbox send` again: only what was not delivered goes."
        )
        throw ExitCode(3)
    }
}

/// What delivers `hosting`'s outbox, through the relay and from the sender of its transfert.yaml.
private func outboxSender(of hosting: Hosting) -> OutboxSender {
    OutboxSender(
        outbox: Outbox(in: hosting.directory, registry: hosting.registry),
        settings: OutboxSender.Settings(configuration: hosting.configuration, hostingDirectory: hosting.directory))
}

/// The JSON of a delivery run; with `error` beside it when letters were refused or the relay stopped it.
struct DeliverySummary: Encodable {
    var relay = ""
    var sent: [OutboxMessage] = []
    var failed: [OutboxMessage] = []
    var notSent: [OutboxMessage] = []
    var alreadySent = 0
    var error: JSONErrorReport.ErrorObject?

    init() {}

    init(_ report: OutboxSender.Report) {
        relay = report.relay
        sent = report.sent
        failed = report.failed
        notSent = report.notTried
        alreadySent = report.alreadySent
    }

    enum CodingKeys: String, CodingKey {
        case relay, sent, failed
        case notSent = "not_sent"
        case alreadySent = "already_sent"
        case error
    }
}
