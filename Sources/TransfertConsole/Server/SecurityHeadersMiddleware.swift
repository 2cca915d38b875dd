import HTTPTypes
import Hummingbird

/// Every answer of the console, errors included: no cache (pages hold personal data), no sniffing, no
/// framing, no referrer, and a content security policy that allows only the console's own script and
/// style — no inline script, no external asset.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = ConsoleRequestContext
    let strictTransport: Bool

    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError {
            response = ErrorPage.response(status: error.status, language: context.language, detail: error.body)
        } catch {
            context.logger.error("console page failed: \(String(describing: error))")
            response = ErrorPage.response(status: .internalServerError, language: context.language, detail: nil)
        }
        Self.apply(to: &response.headers, strictTransport: strictTransport)
        return response
    }

    static func apply(to headers: inout HTTPFields, strictTransport: Bool) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        headers[HTTPField.Name("Permissions-Policy")!] = "camera=(), microphone=(), geolocation=()"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
        if strictTransport { headers[HTTPField.Name("Strict-Transport-Security")!] = "max-age=31536000" }
    }
}
