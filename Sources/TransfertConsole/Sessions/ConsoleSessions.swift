import Foundation
import Hummingbird

/// The console's sessions, kept in a Hummingbird `PersistDriver` (in memory by default: a restarted console
/// asks everyone to sign in again). The cookie holds only a random token; signing in always mints a new one
/// and forgets the one the browser came with, so a token planted before sign-in is worth nothing
/// (session fixation).
public struct ConsoleSessions: Sendable {
    public static let cookieName = "transfert_console"
    let storage: any PersistDriver
    let idleSeconds: Int
    let lifetimeSeconds: Int

    public init(storage: any PersistDriver = MemoryPersistDriver(), idleSeconds: Int, lifetimeSeconds: Int) {
        self.storage = storage
        self.idleSeconds = idleSeconds
        self.lifetimeSeconds = lifetimeSeconds
    }

    private func key(_ token: String) -> String { "console.session.\(token)" }

    /// A new session for `user`; the token to give the browser.
    public func open(for user: ConsoleUser, language: ConsoleLanguage, replacing old: String?, now: Date = Date())
        async throws -> (token: String, session: ConsoleSession)
    {
        if let old { try await storage.remove(key: key(old)) }
        let token = ConsoleToken.random()
        let session = ConsoleSession(user: user, language: language, now: now)
        try await storage.create(key: key(token), value: session, expires: .seconds(idleSeconds))
        return (token, session)
    }

    /// The session of `token` if it is still alive (marked as used now), else `nil`.
    public func session(for token: String, now: Date = Date()) async throws -> ConsoleSession? {
        guard token.utf8.count == 43, var session = try await storage.get(key: key(token), as: ConsoleSession.self)
        else { return nil }
        let age = now.timeIntervalSince(session.createdAt)
        guard age < Double(lifetimeSeconds), now.timeIntervalSince(session.lastSeenAt) < Double(idleSeconds) else {
            try await storage.remove(key: key(token))
            return nil
        }
        session.lastSeenAt = now
        let left = min(Double(idleSeconds), Double(lifetimeSeconds) - age)
        try await storage.set(key: key(token), value: session, expires: .seconds(max(1, Int(left))))
        return session
    }

    public func update(_ session: ConsoleSession, token: String) async throws {
        try await storage.set(key: key(token), value: session, expires: .seconds(idleSeconds))
    }

    public func close(_ token: String) async throws {
        try await storage.remove(key: key(token))
    }
}
