extension String {
    /// Without the spaces and tabs around it — what `trimmingCharacters(in: .whitespaces)` gives (Unicode's
    /// space separators, the tab and the zero-width space), without Foundation's round trip through `NSString`: the registry
    /// validates every establishment's UAI, e-mail and date each time it reads them, and that round trip
    /// was most of the cost of listing a thousand establishments.
    var trimmingWhitespace: String {
        let scalars = unicodeScalars
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            // Foundation's set also holds the zero-width space (U+200B).
            scalar == " " || scalar == "\t"
                || (!scalar.isASCII && (scalar.properties.generalCategory == .spaceSeparator || scalar == "\u{200B}"))
        }
        guard let first = scalars.first, let last = scalars.last, isSpace(first) || isSpace(last) else { return self }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start, isSpace(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }
}
