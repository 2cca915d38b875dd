/// What a console user may do: a `webmaster` changes the hosting; an `auditor` sees every page and
/// changes nothing (every form that changes something is refused to them, not only hidden).
public enum ConsoleRole: String, Sendable, Codable, CaseIterable {
    case webmaster
    case auditor

    public var mayChange: Bool { self == .webmaster }
}
