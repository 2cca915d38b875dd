/// An establishment id typed or chosen in a form: digits only, within `Int64` (a value past it is refused,
/// never wrapped or trapped), positive. Backup, restore and feed forms all read ids through it.
enum FormEstablishmentID {
    static func parse(_ text: String?) -> Int64? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty, text.utf8.count <= 19,
            text.utf8.allSatisfy({ (48...57).contains($0) }), let id = Int64(text), id > 0
        else { return nil }
        return id
    }

    /// Several ids (checkboxes): every one must parse, duplicates kept once, in the order given.
    static func parseAll(_ texts: [String]) -> [Int64]? {
        var ids: [Int64] = []
        for text in texts {
            guard let id = parse(text) else { return nil }
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }
}
