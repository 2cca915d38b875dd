import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

extension TrustedTargets {
    /// The keys `hosting` trusts, for ``MoveConfirmation``, which holds the whole hosting; the keys need only
    /// its directory (``init(hostingDirectory:)``).
    init(hosting: Hosting) {
        self.init(hostingDirectory: hosting.directory)
    }
}
