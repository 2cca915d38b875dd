import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

extension Outbox {
    /// The outbox of `hosting`, for ``LetterWriter``, which holds the whole hosting; the outbox needs only
    /// the hosting's directory and registry (``init(in:registry:)``).
    package init(hosting: Hosting) {
        self.init(in: hosting.directory, registry: hosting.registry)
    }
}
