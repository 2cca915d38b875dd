import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What a receipt must look like before its content is compared with anything or shown to anyone: a
/// receipt is hostile input until proven otherwise. Text is bounded and free of control characters (it
/// reaches terminals, the journal and the portal); addresses are http(s) and each new address is exactly
/// the one the target gives that id (`<base_url>?id=<new id>`), so a receipt cannot send users elsewhere;
/// GUIDs are GUIDs, nothing is listed twice, and something is listed.
enum ReceiptValidation {
    static func check(_ receipt: ImportReceipt) throws {
        var problems: [Problem] = []
        /// Each problem names its field, by its path in the receipt's JSON.
        func refuse(_ field: String, _ message: String) {
            problems.append(
                Problem(code: .receiptInvalidField, message: message, location: ProblemLocation(field: field)))
        }
        func text(_ value: String, _ field: String, max: Int = 255) {
            if value.count > max { refuse(field, "\(field) has \(value.count) characters (at most \(max))") }
            if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                refuse(field, "\(field) contains a control character")
            }
        }
        text(receipt.target.serverName, "target.server_name")
        text(receipt.target.fingerprint, "target.fingerprint", max: 64)
        text(receipt.target.baseURL, "target.base_url", max: 2_000)
        text(receipt.source.serverName, "source.server_name")
        text(receipt.bundle.name, "bundle.name")
        if !isSHA256(receipt.bundle.zipSHA256) { refuse("bundle.zip_sha256", "bundle.zip_sha256 is not a SHA-256") }
        let base = receipt.target.baseURL
        if URL(string: base).flatMap({ $0.scheme?.lowercased() }).map({ $0 == "http" || $0 == "https" }) != true {
            refuse("target.base_url", "target.base_url is not an http(s) address")
        }
        if receipt.establishments.isEmpty { refuse("establishments", "it lists no establishment") }
        var guids: Set<String> = []
        var oldIDs: Set<Int64> = []
        for (index, establishment) in receipt.establishments.enumerated() {
            let field = "establishments[\(index)]"
            text(establishment.denomination, "\(field).denomination")
            text(establishment.uai ?? "", "\(field).uai", max: 16)
            text(establishment.accessURL, "\(field).access_url", max: 2_000)
            if UUID(uuidString: establishment.guid) == nil { refuse("\(field).guid", "\(field).guid is not a GUID") }
            if !guids.insert(establishment.guid.lowercased()).inserted {
                refuse("\(field).guid", "\(field): GUID \(establishment.guid) is listed twice")
            }
            if !oldIDs.insert(establishment.oldID).inserted {
                refuse("\(field).old_id", "\(field): old id \(establishment.oldID) is listed twice")
            }
            if establishment.oldID <= 0 || establishment.newID <= 0 { refuse(field, "\(field): ids must be positive") }
            let expected = base + (base.contains("?") ? "&" : "?") + "id=\(establishment.newID)"
            if establishment.accessURL != expected {
                refuse(
                    "\(field).access_url",
                    "\(field).access_url is not the target's address for id \(establishment.newID) (\(expected))")
            }
            for table in establishment.tables where !isSHA256(table.sha256) || table.rows < 0 {
                refuse("\(field).tables", "\(field): the digest of a table is malformed")
            }
        }
        guard problems.isEmpty else { throw MoveError.malformedReceipt(problems) }
    }

    private static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
    }
}
