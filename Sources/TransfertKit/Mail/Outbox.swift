import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The hosting's `outbox/`: one `.eml` file per message (RFC 5322, owner-only), and, in the registry,
/// each message's state (pending, sent, failed), attempts, last relay reply and times.
///
/// Letters are written here first and leave the machine only through ``OutboxSender``, so an operator
/// can read them before anything is sent. Deleting a `.eml` cancels it: the registry row is forgotten
/// the next time the outbox is read.
///
/// ```swift
/// let outbox = Outbox(in: hosting.directory, registry: hosting.registry)   // or SQLRegistry.inMemory()
/// let written = try outbox.add(message, kind: .letter, structure: structure)
/// for m in try outbox.read().messages where m.state != .sent { print(m.file, m.recipient) }
/// ```
public struct Outbox: Sendable {
    public static let directoryName = "outbox"

    /// `outbox/`, where the `.eml` files are.
    public let directory: URL
    /// Where each message's state is kept.
    public let registry: any OutboxRegistry

    /// The outbox of the hosting in `hostingDirectory` (its `outbox/`), its states in `registry`.
    public init(in hostingDirectory: URL, registry: any OutboxRegistry) {
        directory = hostingDirectory.appendingPathComponent(Self.directoryName)
        self.registry = registry
    }

    public func url(of file: String) -> URL { directory.appendingPathComponent(file) }

    /// What was written: the file, and the unsent letters it replaced.
    public struct Written: Equatable, Sendable {
        public var message: OutboxMessage
        public var replaced: [String]
    }

    /// Writes `message` as a new `.eml` (atomically, mode 0600) and records it as pending. A letter replaces
    /// the unsent (pending or failed) letters of the same establishment: writing letters again after editing
    /// a template leaves one letter per establishment. Sent letters are history and stay.
    public func add(_ message: MailMessage, kind: OutboxMessage.Kind, structure: Structure?, now: Date = Date()) throws
        -> Written
    {
        try createDirectory()
        let file = Self.fileName(kind: kind, baseID: structure?.baseID, messageID: message.messageID, at: now)
        let record = OutboxMessage(
            file: file, kind: kind, baseID: structure?.baseID, guid: structure?.guid.uuidString.lowercased(),
            recipient: message.to.address, subject: message.subject, messageID: message.messageID,
            createdAt: now)
        let replaced: [String]
        // A letter replaces the unsent letter of the same kind (a notification another notification, a
        // warning another warning), never one of another kind.
        if kind != .newsletter, let baseID = structure?.baseID {
            replaced = try registry.outboxMessages()
                .filter { $0.kind == kind && $0.baseID == baseID && $0.state != .sent }.map(\.file)
        } else {
            replaced = []
        }
        let url = url(of: file)
        try Self.writePrivately(message.rendered(), to: url)
        do {
            try registry.addOutboxMessage(record, replacing: replaced)
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
        for old in replaced { try? FileManager.default.removeItem(at: self.url(of: old)) }
        return Written(message: record, replaced: replaced)
    }

    /// The outbox as it is now.
    public struct Listing: Sendable {
        /// Every recorded message whose file is there, oldest first.
        public var messages: [OutboxMessage]
        /// Rows forgotten because their `.eml` was deleted (cancelled by the operator).
        public var cancelled: [OutboxMessage]
        /// `.eml` files with no registry row (a write interrupted before it was recorded): never sent.
        public var unrecorded: [String]
    }

    /// Reads the registry and the directory together; forgets the messages whose file was deleted.
    public func read() throws -> Listing {
        let recorded = try registry.outboxMessages()
        let files = Set(
            ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter {
                $0.hasSuffix(".eml") && !$0.hasPrefix(".")
            })
        let present = recorded.filter { files.contains($0.file) }
        let cancelled = recorded.filter { !files.contains($0.file) }
        if !cancelled.isEmpty { try registry.removeOutboxMessages(files: cancelled.map(\.file)) }
        let known = Set(recorded.map(\.file))
        return Listing(messages: present, cancelled: cancelled, unrecorded: files.subtracting(known).sorted())
    }

    /// The number `outbox list` shows and `outbox show N` takes, of each message file: its position in
    /// ``read()`` (1-based).
    public func numbers() throws -> [String: Int] {
        Dictionary(uniqueKeysWithValues: try read().messages.enumerated().map { ($0.element.file, $0.offset + 1) })
    }

    /// Finds one message by file name (with or without `.eml`), or by its position in ``read()`` (1-based).
    public func message(_ reference: String) throws -> OutboxMessage {
        let messages = try read().messages
        if let number = Int(reference), number >= 1, number <= messages.count { return messages[number - 1] }
        let name = reference.hasSuffix(".eml") ? reference : reference + ".eml"
        let file = (name as NSString).lastPathComponent
        guard let found = messages.first(where: { $0.file == file }) else {
            throw OutboxError.unknownMessage(reference, count: messages.count)
        }
        return found
    }

    /// The bytes of a message, as they will be sent.
    public func data(of message: OutboxMessage) throws -> Data {
        do { return try Data(contentsOf: url(of: message.file)) } catch {
            throw OutboxError.unreadable(url(of: message.file).path, reason: error.localizedDescription)
        }
    }

    /// `20261123-184507-base12-letter-1b9d6bcd.eml`: sorts by time; names the establishment and the kind.
    static func fileName(kind: OutboxMessage.Kind, baseID: Int64?, messageID: String, at date: Date) -> String {
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        let stamp = String(
            format: "%04d%02d%02d-%02d%02d%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0,
            c.second ?? 0)
        let unique = messageID.prefix { $0 != "@" }.filter(\.isHexDigit).prefix(8)
        return "\(stamp)-\(baseID.map { "base\($0)-" } ?? "")\(kind.rawValue)-\(unique).eml"
    }

    private func createDirectory() throws {
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    /// Writes `data` atomically (see ``AtomicFile``): a reader, or a crash, never sees half a message.
    static func writePrivately(_ data: Data, to url: URL) throws {
        do { try AtomicFile.write(data, to: url) } catch {
            throw OutboxError.unwritable(url.path, reason: error.reason)
        }
    }
}

public enum OutboxError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownMessage(String, count: Int)
    case unreadable(String, reason: String)
    case unwritable(String, reason: String)
    case busy(String)

    public var description: String {
        switch self {
        case .unknownMessage(let reference, let count):
            return
                "no message '\(reference)' in the outbox (\(count) message\(count == 1 ? "" : "s")): `transfert outbox list` shows their numbers and files"
        case .unreadable(let path, let reason):
            return "\(path) cannot be read (\(reason)): write the letter again, or delete the file to cancel it"
        case .unwritable(let path, let reason):
            return "\(path) cannot be written (\(reason)): check the hosting directory's permissions and free space"
        case .busy(let path):
            return "another `transfert outbox send` is delivering this outbox (it holds \(path)): wait for it to finish"
        }
    }
}

extension OutboxError: LocatedError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode {
        switch self {
        case .unknownMessage: return .outboxUnknownMessage
        case .unreadable: return .outboxUnreadable
        case .unwritable: return .outboxUnwritable
        case .busy: return .outboxBusy
        }
    }
}
