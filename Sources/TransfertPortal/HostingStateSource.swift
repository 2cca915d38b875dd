import Foundation
import TransfertKit
import TransfertModel
import TransfertStorage

/// The registry of a hosting, read at every request: a lock or window set from the command line shows at
/// the next request. Reads run on a queue of their own, never on the server's event loops.
///
/// It takes the registry's parts ``HostingAccess`` reads and the settings users' sentences depend on, not the
/// hosting: a test can give it `SQLRegistry.inMemory()`.
public struct HostingStateSource: AccessStateSource {
    public let access: HostingAccess

    public init(registry: any HostingAccess.Registries, settings: AccessSettings) {
        access = HostingAccess(registry: registry, settings: settings)
    }

    public func state(baseID: Int64, at now: Date) throws -> AccessState? {
        try access.state(baseID: baseID, at: now)
    }

    public func establishmentCount() throws -> Int {
        try access.registry.structures().count
    }
}
