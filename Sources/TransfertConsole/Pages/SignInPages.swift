import Foundation
import HTTPTypes
import Hummingbird

/// Signing in and out, and the language. The sign-in form is protected like every other (its token lives
/// in a short cookie, since there is no session yet); attempts are throttled per account and per address
/// before any password is checked; a successful sign-in always starts a new session.
struct SignInPages: ConsolePageGroup {
    let services: ConsoleServices

    init(services: ConsoleServices) { self.services = services }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/sign-in") { request, context in
            signInForm(request, context: context, message: nil, status: .ok)
        }
        router.post("/sign-in") { request, context in try await signIn(request, context: context) }
        router.post("/sign-out") { _, context in try await signOut(context: context) }
        router.post("/language") { _, context in try await chooseLanguage(context: context) }
        router.get("/health") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(
                status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"ok\"}")))
        }
    }

    func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(
            name: name, value: value, maxAge: maxAge, path: "/", secure: services.configuration.secureCookies,
            httpOnly: true, sameSite: .strict)
    }

    func signInForm(
        _ request: Request, context: ConsoleRequestContext, message: String?, status: HTTPResponse.Status
    ) -> Response {
        if context.session != nil, status == .ok { return .redirect(to: "/", type: .found) }
        let language = context.language
        let token = Self.formToken(presented: request.cookies[CSRFMiddleware.signInCookie]?.value)
        let body: HTML = """
            \(message.map { "<p class=\"failure\" role=\"alert\" id=\"sign-in-error\">\($0)</p>" as HTML } ?? .empty)
            <form method="post" action="/sign-in" class="sign-in">
            <input type="hidden" name="csrf" value="\(token)">
            <p><label for="name">\(language.text("Identifiant", "User name"))</label>
            <input id="name" name="name" autocomplete="username" required autofocus></p>
            <p><label for="password">\(language.text("Mot de passe", "Password"))</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required></p>
            <p><button type="submit" id="sign-in">\(language.text("Se connecter", "Sign in"))</button></p>
            </form>
            <p class="hint">\(language.text("Les comptes se créent sur le serveur : transfert console user add NOM", "Accounts are created on the server: transfert console user add NAME"))</p>
            """
        var response = Layout.page(language.text("Connexion", "Sign in"), context: context, status: status, body: body)
        response.setCookie(cookie(CSRFMiddleware.signInCookie, token, maxAge: 3_600))
        return response
    }

    func signIn(_ request: Request, context: ConsoleRequestContext) async throws -> Response {
        let form = context.form ?? FormFields()
        let name = form["name"] ?? ""
        let password = form["password"] ?? ""
        let language = context.language
        let address = Self.clientAddress(request, context: context)
        if let wait = await services.throttle.wait(account: name, address: address) {
            var response = signInForm(
                request, context: context,
                message: language.text(
                    "Trop d’essais infructueux : réessayez dans \(Self.minutes(wait)) minute(s).",
                    "Too many failed attempts: try again in \(Self.minutes(wait)) minute(s)."),
                status: .tooManyRequests)
            response.headers[.retryAfter] = String(wait)
            context.logger.warning(
                "console sign-in throttled", metadata: ["account": .string(name), "address": .string(address)])
            return response
        }
        let accounts = services.accounts
        let user = try await Task.detached { try accounts.verify(name: name, password: password) }.value
        guard let user else {
            await services.throttle.failed(account: name, address: address)
            context.logger.notice(
                "console sign-in refused", metadata: ["account": .string(name), "address": .string(address)])
            return signInForm(
                request, context: context,
                message: language.text("Identifiant ou mot de passe incorrect.", "Wrong user name or password."),
                status: .unauthorized)
        }
        await services.throttle.succeeded(account: name)
        let opened = try await services.sessions.open(for: user, language: language, replacing: context.sessionToken)
        context.logger.info("console sign-in", metadata: ["account": .string(name), "address": .string(address)])
        var response = Response.redirect(to: "/", type: .found)
        response.setCookie(cookie(ConsoleSessions.cookieName, opened.token))
        response.setCookie(cookie(CSRFMiddleware.signInCookie, "", maxAge: 0))
        return response
    }

    func signOut(context: ConsoleRequestContext) async throws -> Response {
        if let token = context.sessionToken { try await services.sessions.close(token) }
        var response = Response.redirect(to: "/sign-in", type: .found)
        response.setCookie(cookie(ConsoleSessions.cookieName, "", maxAge: 0))
        return response
    }

    func chooseLanguage(context: ConsoleRequestContext) async throws -> Response {
        guard var session = context.session, let token = context.sessionToken else {
            return .redirect(to: "/sign-in", type: .found)
        }
        session.language = ConsoleLanguage(code: context.form?["language"])
        try await services.sessions.update(session, token: token)
        return .redirect(to: "/", type: .found)
    }

    /// The sign-in form's token: the one the browser already holds, when it holds one of ours, so that a
    /// second sign-in page — another tab, or the browser's own request for `/favicon.ico` sent here while
    /// the first page is open — does not void the form being filled in; else a new one.
    static func formToken(presented: String?) -> String {
        guard let presented, ConsoleToken.isWellFormed(presented) else { return ConsoleToken.random() }
        return presented
    }

    static func minutes(_ seconds: Int) -> Int { max(1, (seconds + 59) / 60) }

    /// The client: the socket's peer, or — when that peer is a reverse proxy on this machine — the last
    /// address it added to `X-Forwarded-For`.
    static func clientAddress(_ request: Request, context: ConsoleRequestContext) -> String {
        let loopback = context.peer == "127.0.0.1" || context.peer == "::1"
        if loopback, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            return last
        }
        return context.peer
    }
}
