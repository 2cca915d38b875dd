import Foundation

/// A signed-in browser: who, with which role, the token its forms must carry (CSRF), its language, and
/// when it started and was last used (sessions end after `session_idle_minutes` unused and after
/// `session_hours` in all).
public struct ConsoleSession: Sendable, Codable, Equatable {
    public var userName: String
    public var role: ConsoleRole
    public var csrfToken: String
    public var language: ConsoleLanguage
    public var createdAt: Date
    public var lastSeenAt: Date

    public init(user: ConsoleUser, language: ConsoleLanguage, now: Date) {
        self.userName = user.name
        self.role = user.role
        self.csrfToken = ConsoleToken.random()
        self.language = language
        self.createdAt = now
        self.lastSeenAt = now
    }
}
