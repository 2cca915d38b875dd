import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

extension HostingAccess {
    /// The access of `hosting`, for the workflows that hold a whole hosting already (export and import ask
    /// ``requireWindow(covering:command:now:)``). Whatever needs only the access takes the registry and the
    /// settings (``init(registry:settings:)``).
    package init(hosting: Hosting) {
        self.init(registry: hosting.registry, settings: hosting.accessSettings)
    }
}
