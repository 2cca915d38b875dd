/// A command's refusal as a page shows it (``Components/failure(_:language:)``), with the fields its
/// problems name, so that a form can mark those inputs invalid.
struct Refusal: Sendable {
    var html: HTML
    var fields: [String]

    static let none = Refusal(html: .empty, fields: [])
}
