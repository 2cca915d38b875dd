import Foundation

/// A console account: a name, a role and a bcrypt hash of the password (never the password).
public struct ConsoleUser: Sendable, Codable, Equatable {
    public var name: String
    public var role: ConsoleRole
    public var passwordHash: String
    public var createdAt: Date

    public init(name: String, role: ConsoleRole, passwordHash: String, createdAt: Date) {
        self.name = name
        self.role = role
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case name, role
        case passwordHash = "password_hash"
        case createdAt = "created_at"
    }
}
