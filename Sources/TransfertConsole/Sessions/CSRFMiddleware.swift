import Foundation
import HTTPTypes
import Hummingbird

/// Every request that changes something must prove it comes from one of the console's own forms: its
/// `Origin`, when the browser sends one, is the console's; and it carries the session's token — in the form
/// (`csrf`), in the query for an upload (`?csrf=`, the file's body is not read before the check), or in
/// an `X-CSRF-Token` header. Before sign-in, the sign-in form's token is the one its cookie holds.
/// A form's fields are read here, once, and handed to the page in the context.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = ConsoleRequestContext
    static let signInCookie = "transfert_console_signin"
    static let fieldName = "csrf"
    /// A form of the console is small; an upload is multipart and not read here.
    static let formLimit = 1 << 20

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method != .get, request.method != .head else { return try await next(request, context) }
        var context = context
        var request = request
        try Self.checkOrigin(request)
        var presented = request.headers[HTTPField.Name("X-CSRF-Token")!] ?? request.uri.queryParameters.get("csrf")
        let type = request.headers[.contentType]?.lowercased() ?? ""
        if type.hasPrefix("application/x-www-form-urlencoded") {
            let body = try await request.collectBody(upTo: Self.formLimit)
            let form = FormFields(encoded: String(buffer: body))
            context.form = form
            presented = form[Self.fieldName] ?? presented
        }
        let expected: String?
        if request.uri.path == "/sign-in" {
            expected = request.cookies[Self.signInCookie]?.value
        } else {
            expected = context.session?.csrfToken
        }
        guard let presented, let expected, ConsoleToken.equal(presented, expected) else {
            throw HTTPError(
                .forbidden,
                message: context.language.text(
                    "Ce formulaire a expiré ou ne vient pas de la console : rechargez la page et recommencez.",
                    "This form has expired or did not come from the console: reload the page and try again."))
        }
        return try await next(request, context)
    }

    /// A browser names the page a form was sent from; another site's page is refused whatever it carries.
    static func checkOrigin(_ request: Request) throws {
        guard let origin = request.headers[.origin], origin != "null" else { return }
        guard let host = request.head.authority,
            let originHost = URLComponents(string: origin).map({ components -> String in
                (components.host ?? "") + (components.port.map { ":\($0)" } ?? "")
            })
        else { throw HTTPError(.forbidden, message: "cross-site request refused") }
        let bare = { (text: String) in
            text.hasSuffix(":443") || text.hasSuffix(":80") ? String(text.split(separator: ":").first ?? "") : text
        }
        guard bare(originHost.lowercased()) == bare(host.lowercased()) else {
            throw HTTPError(.forbidden, message: "cross-site request refused")
        }
    }
}
