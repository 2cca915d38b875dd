/// `transfert letters --send --json`'s answer: the letters the relay accepted, refused, or that the run did
/// not reach (the relay stopped it), each with its recipient and the relay's last reply.
struct DeliveryJSON: Decodable, Sendable {
    struct Letter: Decodable, Sendable {
        var file: String
        var baseID: Int64?
        var recipient: String
        var subject: String
        var state: String
        var lastReply: String?

        enum CodingKeys: String, CodingKey {
            case file
            case baseID = "base_id"
            case recipient, subject, state
            case lastReply = "last_reply"
        }
    }

    var relay: String?
    var sent: [Letter]
    var failed: [Letter]
    var notSent: [Letter]?

    enum CodingKeys: String, CodingKey {
        case relay, sent, failed
        case notSent = "not_sent"
    }
}
