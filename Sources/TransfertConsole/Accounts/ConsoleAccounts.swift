import Foundation
import HummingbirdBcrypt

/// The console's users, in one file of the hosting (`console/users.json`, readable by its owner only),
/// created and changed from the command line (`transfert console user …`), read by the console.
///
/// ```swift
/// let accounts = ConsoleAccounts(file: hostingDirectory.appendingPathComponent(ConsoleAccounts.relativePath))
/// try accounts.add(name: "marie", role: .webmaster, password: "correct horse battery")
/// let user = try accounts.verify(name: "marie", password: "correct horse battery")   // ConsoleUser?
/// ```
public struct ConsoleAccounts: Sendable {
    public static let relativePath = "console/users.json"
    /// bcrypt's cost: about a quarter of a second per check, which is what makes guessing slow.
    public static let bcryptCost: UInt8 = 12
    public static let minimumPasswordLength = 10
    /// bcrypt reads this many bytes of a password and ignores the rest.
    public static let maximumPasswordBytes = 72

    public let file: URL
    let cost: UInt8

    public init(file: URL, cost: UInt8 = ConsoleAccounts.bcryptCost) {
        self.file = file
        self.cost = cost
    }

    public init(hosting directory: URL) {
        self.init(file: directory.appendingPathComponent(Self.relativePath))
    }

    /// Every account, by name. No file yet: none.
    public func all() throws(ConsoleAccountError) -> [ConsoleUser] {
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode([ConsoleUser].self, from: Data(contentsOf: file)).sorted { $0.name < $1.name }
        } catch {
            throw .unreadable(file: file.path, reason: String(describing: error))
        }
    }

    public func user(named name: String) throws(ConsoleAccountError) -> ConsoleUser? {
        try all().first { $0.name == name }
    }

    @discardableResult
    public func add(name: String, role: ConsoleRole, password: String, now: Date = Date()) throws(ConsoleAccountError)
        -> ConsoleUser
    {
        try Self.check(name: name)
        try Self.check(password: password)
        var users = try all()
        guard !users.contains(where: { $0.name == name }) else { throw .alreadyExists(name) }
        let user = ConsoleUser(
            name: name, role: role, passwordHash: Bcrypt.hash(password, cost: cost), createdAt: now)
        users.append(user)
        try save(users)
        return user
    }

    public func setPassword(name: String, password: String) throws(ConsoleAccountError) {
        try Self.check(password: password)
        var users = try all()
        guard let index = users.firstIndex(where: { $0.name == name }) else { throw .unknown(name) }
        users[index].passwordHash = Bcrypt.hash(password, cost: cost)
        try save(users)
    }

    public func setRole(name: String, role: ConsoleRole) throws(ConsoleAccountError) {
        var users = try all()
        guard let index = users.firstIndex(where: { $0.name == name }) else { throw .unknown(name) }
        users[index].role = role
        try save(users)
    }

    public func remove(name: String) throws(ConsoleAccountError) {
        var users = try all()
        guard let index = users.firstIndex(where: { $0.name == name }) else { throw .unknown(name) }
        users.remove(at: index)
        try save(users)
    }

    /// The user when the password is theirs; `nil` otherwise. An unknown name costs a bcrypt check too,
    /// so the time of an answer does not tell which names exist.
    public func verify(name: String, password: String) throws(ConsoleAccountError) -> ConsoleUser? {
        guard password.utf8.count <= Self.maximumPasswordBytes else { return nil }
        guard let user = try user(named: name) else {
            _ = Bcrypt.verify(password, hash: Self.decoyHash)
            return nil
        }
        return Bcrypt.verify(password, hash: user.passwordHash) ? user : nil
    }

    /// A hash of nothing anyone types, checked for unknown names.
    static let decoyHash = Bcrypt.hash(ConsoleToken.random(), cost: bcryptCost)

    static func check(name: String) throws(ConsoleAccountError) {
        let allowed = name.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
                || "._-@".unicodeScalars.contains($0)
        }
        guard (1...64).contains(name.count), allowed else { throw .invalidName(name) }
    }

    static func check(password: String) throws(ConsoleAccountError) {
        guard password.count >= minimumPasswordLength else { throw .passwordTooShort(minimum: minimumPasswordLength) }
        guard password.utf8.count <= maximumPasswordBytes else {
            throw .passwordTooLong(maximumBytes: maximumPasswordBytes)
        }
    }

    /// Written to a temporary file beside it, then renamed: a crash leaves the old list or the new one.
    private func save(_ users: [ConsoleUser]) throws(ConsoleAccountError) {
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            let data = try encoder.encode(users.sorted { $0.name < $1.name })
            let directory = file.deletingLastPathComponent()
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let temporary = directory.appendingPathComponent(".users.\(getpid()).tmp")
            guard
                FileManager.default.createFile(
                    atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600])
            else { throw CocoaError(.fileWriteNoPermission) }
            guard rename(temporary.path, file.path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary.path)
                throw ConsoleAccountError.unwritable(file: file.path, reason: reason)
            }
        } catch let error as ConsoleAccountError {
            throw error
        } catch {
            throw .unwritable(file: file.path, reason: String(describing: error))
        }
    }
}
