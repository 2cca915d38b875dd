import HTTPTypes

/// The headers every answer of the portal carries, whoever writes it — a route, the router's own 404 or
/// 405, Hummingbird's 400 for a request it cannot parse, or the connection's own refusals
/// (``HTTP1ConnectionRules``): no cache (a state changes from one minute to the next), no sniffing, no
/// external asset, no framing, no referrer.
enum PortalHeaders {
    /// Name and value, in the order they are written.
    static let common: [(name: String, value: String)] = [
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        (
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        ),
        ("Referrer-Policy", "no-referrer"),
    ]

    /// ``common`` as the routes build their responses.
    static let fields: HTTPFields = HTTPFields(
        common.map { HTTPField(name: HTTPField.Name($0.name)!, value: $0.value) })
}
