import HTTPTypes
import Hummingbird

/// Finds the request's session from its cookie and lets only signed-in requests past, but for the public
/// paths (sign-in, the console's own script and style, `/health`). A page asked for without a session
/// leads to the sign-in page; anything else is refused.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = ConsoleRequestContext
    let sessions: ConsoleSessions
    let accounts: ConsoleAccounts

    static func isPublic(_ path: String) -> Bool {
        path == "/sign-in" || path == "/health" || path.hasPrefix("/assets/")
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let token = request.cookies[ConsoleSessions.cookieName]?.value,
            var session = try await sessions.session(for: token)
        {
            // The account as it is now: a removed account's sessions end here, a changed role applies at once.
            if let user = try? accounts.user(named: session.userName) {
                session.role = user.role
                context.session = session
                context.sessionToken = token
            } else {
                try await sessions.close(token)
            }
        }
        if context.session == nil && !Self.isPublic(request.uri.path) {
            if request.method == .get || request.method == .head {
                return .redirect(to: "/sign-in", type: .found)
            }
            throw HTTPError(
                .unauthorized,
                message: context.language.text(
                    "Session terminée : reconnectez-vous.", "Your session has ended: sign in again."))
        }
        return try await next(request, context)
    }
}
