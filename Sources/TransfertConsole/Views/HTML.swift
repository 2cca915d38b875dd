/// A piece of HTML whose interpolations are escaped by construction: `"<td>\(name)</td>"` escapes `name`
/// (a `String`), and only another `HTML` value is inserted as it is. A page cannot forget to escape an
/// establishment's name, a CSV value or a maintenance message: the compiler chooses.
///
/// ```swift
/// let name = "<script>alert(1)</script>"
/// let cell: HTML = "<td>\(name)</td>"          // <td>&lt;script&gt;alert(1)&lt;/script&gt;</td>
/// let row: HTML = "<tr>\(cell)</tr>"            // cell inserted as HTML
/// ```
public struct HTML: Sendable, CustomStringConvertible, ExpressibleByStringInterpolation {
    public private(set) var text: String

    public var description: String { text }

    /// Markup written by the console itself, inserted as it is.
    public init(trusted text: String) { self.text = text }

    public init(stringLiteral value: String) { self.text = value }

    public init(stringInterpolation: StringInterpolation) { self.text = stringInterpolation.text }

    public static let empty = HTML(trusted: "")

    /// Several pieces one after the other.
    public init(joining pieces: some Sequence<HTML>, separator: HTML = .empty) {
        self.text = pieces.map(\.text).joined(separator: separator.text)
    }

    public static func + (left: HTML, right: HTML) -> HTML { HTML(trusted: left.text + right.text) }

    public struct StringInterpolation: StringInterpolationProtocol {
        var text = ""

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 16)
        }

        public mutating func appendLiteral(_ literal: String) { text += literal }

        /// Text: escaped for an element's content and for a quoted attribute's value.
        public mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }

        /// Absent text: nothing.
        public mutating func appendInterpolation(_ value: String?) { text += value.map(HTML.escape) ?? "" }

        public mutating func appendInterpolation(_ value: some BinaryInteger) { text += String(value) }

        public mutating func appendInterpolation(_ html: HTML) { text += html.text }

        public mutating func appendInterpolation(_ pieces: [HTML]) { text += pieces.map(\.text).joined() }
    }

    /// `&`, `<`, `>`, `"` and `'` as entities: safe inside elements and inside attributes quoted either way.
    public static func escape(_ value: String) -> String {
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}
