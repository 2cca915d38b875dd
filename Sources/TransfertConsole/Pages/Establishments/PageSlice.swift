/// One page of a long list: 200 rows at a time, the page asked for kept within the pages there are (a
/// page number that is not one, too large or negative, shows the nearest page rather than an error).
struct PageSlice: Sendable, Equatable {
    static let size = 200

    let total: Int
    let number: Int

    init(total: Int, requested: String?) {
        self.total = total
        let asked = requested.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? 1
        number = min(max(asked, 1), Self.pageCount(total: total))
    }

    static func pageCount(total: Int) -> Int { max(1, (total + size - 1) / size) }

    var pageCount: Int { Self.pageCount(total: total) }

    /// The rows of this page, as indexes of the whole list.
    var range: Range<Int> {
        let start = min((number - 1) * Self.size, total)
        return start..<min(start + Self.size, total)
    }
}
