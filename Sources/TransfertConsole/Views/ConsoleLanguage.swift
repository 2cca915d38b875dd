/// The console's language: French by default (its users are French), English by choice. Pages say
/// each sentence in both, side by side, so that neither is forgotten: `language.text("Établissements",
/// "Establishments")`. What the commands say (problems, refusals) stays in the tool's English.
public enum ConsoleLanguage: String, Sendable, Codable, CaseIterable {
    case fr
    case en

    public func text(_ french: String, _ english: String) -> String {
        self == .fr ? french : english
    }

    /// `fr` or `en` from a form or a cookie; anything else is French.
    public init(code: String?) {
        self = code.flatMap(ConsoleLanguage.init(rawValue:)) ?? .fr
    }
}
