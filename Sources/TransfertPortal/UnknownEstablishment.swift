import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// `/status`'s answer for an id no establishment has.
struct UnknownEstablishment: Encodable {
    var error: String
    var id: Int64
}
