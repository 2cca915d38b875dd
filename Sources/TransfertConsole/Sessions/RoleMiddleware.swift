import Hummingbird

/// An auditor sees everything and changes nothing: every request that is not a read is refused to them
/// here, whatever page it aims at, but for signing out and choosing the language.
struct RoleMiddleware: RouterMiddleware {
    typealias Context = ConsoleRequestContext
    static let allowedToEveryone: Set<String> = ["/sign-out", "/sign-in", "/language"]

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.method != .get, request.method != .head, let session = context.session,
            !session.role.mayChange, !Self.allowedToEveryone.contains(request.uri.path)
        {
            throw HTTPError(
                .forbidden,
                message: context.language.text(
                    "Votre compte est en lecture seule (auditeur) : rien n’a été modifié.",
                    "Your account is read-only (auditor): nothing was changed."))
        }
        return try await next(request, context)
    }
}
