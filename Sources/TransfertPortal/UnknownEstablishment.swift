import Foundation

/// `/status`'s answer for an id no establishment has.
struct UnknownEstablishment: Encodable {
    var error: String
    var id: Int64
}
