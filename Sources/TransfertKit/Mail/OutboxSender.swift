import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Delivers the outbox through the hosting's SMTP relay (``SMTPRelay``), recording every try.
///
/// - Only messages not yet sent are tried (pending first written, failed ones again): running it twice
///   never sends a message twice.
/// - Messages go in batches of `smtp.batch_size` over one connection each.
/// - A temporary failure (4xx reply, lost connection) is retried up to `smtp.attempts` times, waiting
///   1 s, 2 s, 4 s… in between; a permanent refusal (5xx) marks the message failed with the relay's reply.
/// - A relay that cannot be reached stops the run with ``OutboxSendError/relayUnreachable(relay:reason:report:)``:
///   what was not sent stays pending, nothing is lost. So does a relay that refuses the login or TLS.
/// - Only one sender runs per outbox at a time (a lock file in `outbox/`).
///
/// ```swift
/// let sender = OutboxSender(outbox: Outbox(in: hosting.directory, registry: hosting.registry),
///                           settings: .init(configuration: hosting.configuration, hostingDirectory: hosting.directory))
/// let report = try sender.send { message, outcome in print(message.file, outcome) }
/// print(report.sent.count, report.failed.count)
/// ```
public struct OutboxSender {
    /// The letters, and where their states are kept.
    public let outbox: Outbox
    public let settings: Settings
    /// Where a relay's `password_env` is read.
    public var environment: [String: String]
    /// Waits between tries (replaced in tests).
    public var sleep: (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }
    /// The first wait; it doubles at each try.
    public var backoff: Double = 1

    public init(outbox: Outbox, settings: Settings, environment: [String: String] = ProcessInfo.processInfo.environment)
    {
        self.outbox = outbox
        self.settings = settings
        self.environment = environment
    }

    /// What a run did.
    public struct Report: Sendable {
        /// `host:port (security, as user)`.
        public var relay: String
        public var sent: [OutboxMessage] = []
        public var failed: [OutboxMessage] = []
        /// Not tried (the run stopped), still pending or failed as before.
        public var notTried: [OutboxMessage] = []
        /// Messages sent by earlier runs, left alone.
        public var alreadySent: Int = 0
        public var cancelled: [OutboxMessage] = []
        public var unrecorded: [String] = []
    }

    /// What happened to one message, for progress lines.
    public enum Outcome: Sendable {
        case sent(reply: String, attempts: Int)
        case failed(reply: String, attempts: Int)
        case retrying(reply: String, attempt: Int, wait: Double)
    }

    /// Sends every message not yet sent; `only` restricts to those files (or numbers, as `outbox list` shows).
    /// What `send(only:)` would deliver now (`outbox send --dry-run`): the letters not sent, or the ones named.
    public func waiting(only: [String]? = nil) throws -> [OutboxMessage] {
        let selected = try only.map { try $0.map { try outbox.message($0) } } ?? outbox.read().messages
        return selected.filter { $0.state != .sent }
    }

    /// Refuses to send from a placeholder (``PlaceholderSender``): the hosting's `webmaster.email`, which is
    /// the envelope sender, and the `From:` of each of `messages` (a letter written while the sender was a
    /// placeholder keeps it in its header, even once transfert.yaml is corrected).
    public func checkSenders(of messages: [OutboxMessage]) throws {
        let configured = settings.senderAddress
        if let reason = PlaceholderSender.reason(configured) {
            throw OutboxSendError.placeholderSender(
                address: configured, reason: reason, configurationFile: settings.configurationFile)
        }
        var stale: [String] = []
        var staleAddress = ""
        for message in messages {
            let from = DecodedMessage(try outbox.data(of: message))["From"] ?? ""
            let address = from.split(separator: "<").last.map { String($0.split(separator: ">").first ?? "") } ?? from
            if PlaceholderSender.reason(address) != nil {
                stale.append(message.file)
                staleAddress = address
            }
        }
        if !stale.isEmpty { throw OutboxSendError.placeholderInLetters(files: stale, address: staleAddress) }
    }

    /// `work` counts the letters as they go; `progress` hears of each letter's outcome.
    public func send(
        only: [String]? = nil, work: WorkProgress? = nil,
        progress: (OutboxMessage, Outcome) -> Void = { _, _ in }
    ) throws -> Report {
        try checkSenders(of: try waiting(only: only))
        guard let relay = settings.relay else { throw OutboxSendError.noRelay }
        let password: String?
        do { password = try relay.resolvedPassword(environment: environment) } catch {
            throw OutboxSendError.configuration(error)
        }
        let lock = try SendLock(directory: outbox.directory)
        defer { lock.release() }

        let listing = try outbox.read()
        var report = Report(relay: relay.description, cancelled: listing.cancelled, unrecorded: listing.unrecorded)
        var selected = listing.messages
        if let only {
            selected = try only.map { try outbox.message($0) }
        }
        report.alreadySent = selected.filter { $0.state == .sent }.count
        var queue = selected.filter { $0.state != .sent }
        work?.begin(items: queue.count)
        let sender = settings.senderAddress
        let helo = Mailbox(name: "", address: sender).domain

        while !queue.isEmpty {
            let batch = Array(queue.prefix(relay.effectiveBatchSize))
            queue.removeFirst(batch.count)
            let client = try SMTPClient(relay: relay, password: password, heloDomain: helo)
            for (position, message) in batch.enumerated() {
                var message = message
                let item = work?.startItem(message.recipient)
                var delivered = false
                defer { item?.finish(outcome: delivered ? "sent" : "not sent") }
                let data = try outbox.data(of: message)
                var attempt = 0
                while true {
                    attempt += 1
                    let result = client.send(data, from: sender, to: message.recipient)
                    let now = Date()
                    switch result {
                    case .accepted(let reply):
                        try record(&message, DeliveryAttempt(state: .sent, reply: reply, at: now))
                        report.sent.append(message)
                        delivered = true
                        progress(message, .sent(reply: reply, attempts: message.attempts))
                    case .refused(_, let reply):
                        try record(&message, DeliveryAttempt(state: .failed, reply: reply, at: now))
                        report.failed.append(message)
                        progress(message, .failed(reply: reply, attempts: message.attempts))
                    case .deferred(_, let reply) where attempt < relay.effectiveAttempts,
                        .unreachable(let reply) where attempt < relay.effectiveAttempts:
                        try record(&message, DeliveryAttempt(state: .pending, reply: reply, at: now))
                        let wait = backoff * Double(1 << (attempt - 1))
                        progress(message, .retrying(reply: reply, attempt: attempt, wait: wait))
                        sleep(wait)
                        continue
                    case .deferred(_, let reply):
                        try record(&message, DeliveryAttempt(state: .failed, reply: reply, at: now))
                        report.failed.append(message)
                        progress(message, .failed(reply: reply, attempts: message.attempts))
                    case .unreachable(let reason):
                        try record(&message, DeliveryAttempt(state: .pending, reply: "not sent: \(reason)", at: now))
                        report.notTried = [message] + batch.dropFirst(position + 1) + queue
                        throw OutboxSendError.relayUnreachable(relay: relay.description, reason: reason, report: report)
                    case .misconfigured(let reason):
                        try record(&message, DeliveryAttempt(state: .pending, reply: "not sent: \(reason)", at: now))
                        report.notTried = [message] + batch.dropFirst(position + 1) + queue
                        throw OutboxSendError.relayRefusesConfiguration(
                            relay: relay.description, reason: reason, report: report)
                    }
                    break
                }
            }
        }
        return report
    }

    private func record(_ message: inout OutboxMessage, _ attempt: DeliveryAttempt) throws {
        try outbox.registry.recordDeliveryAttempt(file: message.file, attempt)
        message.attempts += 1
        message.lastReply = attempt.reply
        message.lastAttemptAt = ISO8601DateFormatter().string(from: attempt.at)
        if attempt.state != .pending { message.state = attempt.state }
        if attempt.state == .sent { message.sentAt = message.lastAttemptAt }
    }
}

/// `outbox/.send.lock`, held (flock) while a sender runs.
private struct SendLock {
    let descriptor: Int32

    init(directory: URL) throws {
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = directory.appendingPathComponent(".send.lock").path
        descriptor = open(path, O_CREAT | O_RDWR, 0o600)
        guard descriptor >= 0 else { throw OutboxError.unwritable(path, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw OutboxError.busy(path)
        }
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

public enum OutboxSendError: Error, CustomStringConvertible {
    case noRelay
    /// `webmaster.email` is a placeholder (``PlaceholderSender``): nothing is sent from it.
    case placeholderSender(address: String, reason: String, configurationFile: String)
    /// Letters written while the sender was a placeholder: their `From:` still names it.
    case placeholderInLetters(files: [String], address: String)
    case configuration(ConfigurationError)
    case relayUnreachable(relay: String, reason: String, report: OutboxSender.Report)
    case relayRefusesConfiguration(relay: String, reason: String, report: OutboxSender.Report)

    public var description: String {
        switch self {
        case .noRelay:
            return
                "no SMTP relay is configured: add an `smtp:` section to transfert.yaml (host, port, security; see Docs/user-guide.md, \"Letters and newsletters\"). The letters stay in the outbox."
        case .placeholderSender(let address, let reason, let file):
            return
                "letters would go out from \(address), \(reason): set webmaster.email (and webmaster.name, who signs) in \(file) to the address replies should reach, then write the letters again (`transfert letters …`; the letters already written carry the old sender). Nothing was sent; the letters stay in the outbox."
        case .placeholderInLetters(let files, let address):
            return
                "\(files.count) letter\(files.count == 1 ? " was" : "s were") written while the sender was \(address), which \(files.count == 1 ? "it" : "they") still carr\(files.count == 1 ? "ies" : "y") in From: (\(files.prefix(5).joined(separator: ", "))\(files.count > 5 ? ", …" : "")): write \(files.count == 1 ? "it" : "them") again with `transfert letters …` or `transfert newsletter …` (writing again replaces unsent letters), or delete \(files.count == 1 ? "its .eml" : "their .eml files") from outbox/. Nothing was sent."
        case .configuration(let error):
            return error.description
        case .relayUnreachable(let relay, let reason, let report):
            return
                "the SMTP relay \(relay) cannot be reached (\(reason)). \(Self.summary(report)) Check smtp.host and smtp.port, then run `transfert outbox send` again: only what was not sent goes."
        case .relayRefusesConfiguration(let relay, let reason, let report):
            return "the SMTP relay \(relay): \(reason). \(Self.summary(report)) Then run `transfert outbox send` again."
        }
    }

    /// The partial report of a stopped run.
    public var report: OutboxSender.Report? {
        switch self {
        case .relayUnreachable(_, _, let report), .relayRefusesConfiguration(_, _, let report): return report
        default: return nil
        }
    }

    private static func summary(_ report: OutboxSender.Report) -> String {
        "\(report.sent.count) sent before it stopped, \(report.failed.count) failed, \(report.notTried.count) kept in the outbox, unsent."
    }
}

extension OutboxSendError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .noRelay: return .outboxSendNoRelay
        case .placeholderSender: return .outboxSendPlaceholderSender
        case .placeholderInLetters: return .outboxSendPlaceholderInLetters
        case .configuration: return .outboxSendConfiguration
        case .relayUnreachable: return .outboxSendRelayUnreachable
        case .relayRefusesConfiguration: return .outboxSendRelayRefusesConfiguration
        }
    }
}
