/// A new access address from a receipt or the registry, as a link only when it is a web address: a signed
/// receipt is checked, but a `javascript:` address must never become a link whatever signed it.
enum MoveAddress {
    static func link(_ url: String) -> HTML {
        let lowered = url.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else { return "<code>\(url)</code>" }
        return "<a class=\"access-url\" href=\"\(url)\">\(url)</a>"
    }
}
