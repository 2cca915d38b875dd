import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

extension ReceiptKey {
    /// The key of `hosting`, for ``ReceiptWriter``, which holds the whole hosting; the key needs only its
    /// directory (``load(in:)``).
    package static func load(for hosting: Hosting) throws -> ReceiptKey {
        try load(in: hosting.directory)
    }
}
