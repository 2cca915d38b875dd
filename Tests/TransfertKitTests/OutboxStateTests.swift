import Foundation
import Testing

@testable import TransfertFormats
@testable import TransfertKit
@testable import TransfertModel
@testable import TransfertStorage

#if canImport(Glibc)
    import Glibc
#endif

/// ``Outbox`` and ``OutboxSender`` on a registry in memory and a plain directory, no hosting: which letter
/// replaces which, what a deleted or unrecorded file means, how letters are named, and what stays pending
/// when nothing can be sent.
@Suite("Outbox states on an in-memory registry")
struct OutboxStateTests {
    let directory: TemporaryDirectory
    let registry: SQLRegistry
    let outbox: Outbox
    static let start = Date(timeIntervalSince1970: 1_796_000_000)

    init() throws {
        directory = try TemporaryDirectory()
        registry = try inMemoryRegistry(establishments: [7, 8])
        outbox = Outbox(in: directory.url, registry: registry)
    }

    /// Writes a message of `kind` about establishment `id` (none: a message about no establishment), at
    /// `seconds` after ``start`` so that files sort in writing order.
    @discardableResult
    func write(
        _ kind: OutboxMessage.Kind, about id: Int64?, at seconds: TimeInterval,
        from sender: String = "webmestre@ac-paris.fr"
    ) throws -> Outbox.Written {
        let structure = try id.flatMap { try registry.structure(baseID: $0) }
        let message = MailMessage(
            from: Mailbox(name: "Webmestre", address: sender),
            to: Mailbox(name: "Contact", address: structure?.contactCourriel.rawValue ?? "liste@ac-paris.fr"),
            subject: "\(kind.rawValue) \(id.map(String.init) ?? "-")", body: "Bonjour.\n")
        return try outbox.add(message, kind: kind, structure: structure, now: Self.start.addingTimeInterval(seconds))
    }

    func exists(_ file: String) -> Bool { FileManager.default.fileExists(atPath: outbox.url(of: file).path) }

    @Test func aLetterReplacesTheUnsentLetterOfItsKindAndEstablishmentOnly() throws {
        let first = try write(.letter, about: 7, at: 0)
        let warning = try write(.maintenance, about: 7, at: 1)
        let other = try write(.letter, about: 8, at: 2)
        let news = try write(.newsletter, about: 7, at: 3)
        #expect(first.replaced.isEmpty && warning.replaced.isEmpty && other.replaced.isEmpty && news.replaced.isEmpty)

        let second = try write(.letter, about: 7, at: 4)
        #expect(second.replaced == [first.message.file], "the same kind for the same establishment, unsent")
        #expect(!exists(first.message.file) && exists(second.message.file))
        #expect(
            try registry.outboxMessages().map(\.file)
                == [warning.message.file, other.message.file, news.message.file, second.message.file])

        // Sent, a letter is history: the next one does not replace it. A failed one is replaced.
        try registry.recordDeliveryAttempt(file: second.message.file, DeliveryAttempt(state: .sent, reply: "250 Ok"))
        try registry.recordDeliveryAttempt(file: warning.message.file, DeliveryAttempt(state: .failed, reply: "550 No"))
        let third = try write(.letter, about: 7, at: 5)
        #expect(third.replaced.isEmpty && exists(second.message.file))
        #expect(try write(.maintenance, about: 7, at: 6).replaced == [warning.message.file])
        #expect(try write(.newsletter, about: 7, at: 7).replaced.isEmpty, "a newsletter never replaces another")
    }

    @Test func aDeletedFileCancelsItsLetterAndAnUnrecordedFileIsNeverListed() throws {
        let kept = try write(.letter, about: 7, at: 0)
        let deleted = try write(.letter, about: 8, at: 1)
        try FileManager.default.removeItem(at: outbox.url(of: deleted.message.file))
        try Data("From: x\r\n\r\nhalf".utf8).write(to: outbox.url(of: "20261201-000000-base9-letter-deadbeef.eml"))
        try Data("ignored".utf8).write(to: outbox.url(of: ".hidden.eml"))

        let listing = try outbox.read()
        #expect(listing.messages.map(\.file) == [kept.message.file])
        #expect(listing.cancelled.map(\.file) == [deleted.message.file])
        #expect(listing.unrecorded == ["20261201-000000-base9-letter-deadbeef.eml"])
        #expect(try registry.outboxMessages().map(\.file) == [kept.message.file], "the cancelled row is forgotten")
        #expect(try outbox.read().cancelled.isEmpty, "and reported once")
    }

    @Test func lettersAreFoundByNumberOrFileName() throws {
        let first = try write(.letter, about: 7, at: 0)
        let second = try write(.letter, about: 8, at: 1)
        #expect(try outbox.message("2") == second.message)
        #expect(try outbox.message(first.message.file) == first.message)
        #expect(try outbox.message(String(first.message.file.dropLast(4))) == first.message, "without .eml")
        #expect(try outbox.message("outbox/" + first.message.file) == first.message, "a path names its file")
        #expect(try outbox.numbers() == [first.message.file: 1, second.message.file: 2])
        #expect(throws: OutboxError.unknownMessage("3", count: 2)) { try outbox.message("3") }
        #expect(throws: OutboxError.unknownMessage("0", count: 2)) { try outbox.message("0") }
        #expect(
            first.message.file.hasPrefix("20261130-005320-base7-letter-"), "time, establishment and kind in the name")
    }

    func makeSender(relay: SMTPRelay? = nil, address: String = "webmestre@ac-paris.fr") -> OutboxSender {
        OutboxSender(
            outbox: outbox,
            settings: .init(relay: relay, senderAddress: address, configurationFile: "/h/transfert.yaml"),
            environment: [:])
    }

    @Test func nothingLeavesFromAPlaceholderOrWithoutARelayAndSentLettersAreNotWaiting() throws {
        let sent = try write(.letter, about: 7, at: 0)
        let pending = try write(.letter, about: 8, at: 1)
        try registry.recordDeliveryAttempt(file: sent.message.file, DeliveryAttempt(state: .sent, reply: "250 Ok"))
        #expect(try makeSender().waiting().map(\.file) == [pending.message.file])
        #expect(try makeSender().waiting(only: ["1", "2"]).map(\.file) == [pending.message.file])

        do {
            _ = try makeSender(address: "webmestre@example.org").send()
            Issue.record("a placeholder sender was accepted")
        } catch OutboxSendError.placeholderSender(let address, _, let file) {
            #expect(address == "webmestre@example.org" && file == "/h/transfert.yaml", "the file to correct is named")
        }
        do {
            _ = try makeSender().send()
            Issue.record("a send without a relay was accepted")
        } catch OutboxSendError.noRelay {}
        #expect(
            try registry.outboxMessages().first { $0.file == pending.message.file }?.attempts == 0, "nothing was tried")

        // Written while the sender was a placeholder: refused by its From:, even once the sender is right.
        let stale = try write(.maintenance, about: 8, at: 2, from: "webmestre@example.org")
        do {
            _ = try makeSender().send()
            Issue.record("a letter from a placeholder was accepted")
        } catch OutboxSendError.placeholderInLetters(let files, let address) {
            #expect(files == [stale.message.file] && address == "webmestre@example.org")
        }
    }

    @Test func aRelayThatCannotBeReachedKeepsEveryLetterPendingWithItsTries() throws {
        let first = try write(.letter, about: 7, at: 0)
        let second = try write(.letter, about: 8, at: 1)
        // A port bound and not listening: the connection is refused at once, for as long as it is held.
        let socket = try BoundSocket()
        defer { socket.close() }
        var sender = makeSender(
            relay: SMTPRelay(host: "127.0.0.1", port: Int(socket.port), security: .none, attempts: 2))
        let waits = Waits()
        sender.sleep = { waits.seconds.append($0) }
        var retries = 0
        do {
            _ = try sender.send { _, outcome in if case .retrying = outcome { retries += 1 } }
            Issue.record("a relay that cannot be reached was taken for a delivery")
        } catch OutboxSendError.relayUnreachable(let relay, _, let report) {
            #expect(relay.hasPrefix("127.0.0.1:\(socket.port)"))
            #expect(report.sent.isEmpty && report.failed.isEmpty)
            #expect(report.notTried.map(\.file) == [first.message.file, second.message.file])
        }
        #expect(retries == 1 && waits.seconds == [1], "one retry after 1 s, then the run stops")
        let stored = try registry.outboxMessages()
        #expect(stored.map(\.state) == [.pending, .pending], "nothing is lost: both are sent by the next run")
        #expect(stored.map(\.attempts) == [2, 0])
        #expect(stored[0].lastReply?.hasPrefix("not sent: ") == true)
    }
}

/// What a sender waited, recorded by its `sleep`.
private final class Waits {
    var seconds: [Double] = []
}

/// A TCP port on 127.0.0.1 bound but not listening: a connection to it is refused.
private struct BoundSocket {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound =
            socket >= 0
            && withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
                }
            }
        guard bound else {
            if socket >= 0 { _ = Glibc.close(socket) }
            throw CocoaError(.fileWriteUnknown)
        }
        descriptor = socket
        port = UInt16(bigEndian: address.sin_port)
    }

    func close() { _ = Glibc.close(descriptor) }
}
