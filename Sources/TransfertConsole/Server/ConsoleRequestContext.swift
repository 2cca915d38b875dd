import Hummingbird
import NIOCore

/// What one request carries through the console's middleware to its page: the peer's address, the
/// signed-in session (when there is one) and, for a form, its fields (read once, by the CSRF check).
public struct ConsoleRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's address as the console's socket saw it.
    public var peer: String
    public var session: ConsoleSession?
    public var sessionToken: String?
    public var form: FormFields?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peer = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The session of a page that requires one (the access middleware let the request through only with one).
    public var signedIn: ConsoleSession {
        get throws {
            guard let session else { throw HTTPError(.unauthorized) }
            return session
        }
    }

    public var language: ConsoleLanguage { session?.language ?? .fr }
}
