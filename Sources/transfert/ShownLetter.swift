import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// `outbox show --json`: the letter's outbox row, its file, its decoded header fields and its text.
struct ShownLetter: Encodable {
    var message: OutboxMessage
    var path: String
    var headers: [String: String]
    var body: String
}
