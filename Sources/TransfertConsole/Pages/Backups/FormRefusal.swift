/// What a form asks that cannot be done, in the reader's language: shown above the form again, which
/// keeps what was typed, with status 422.
struct FormRefusal: Error, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}
