import Foundation
import TransfertFormats
import TransfertModel

/// Throwaway establishment databases from a backend, for `verify --deep`: a bundle is restored where it
/// will be restored for real (the same engine, the same DDL), checked, and the database dropped.
///
/// ```swift
/// let scratch = try hosting.backend.makeScratchDatabases(parent: nil)
/// defer { scratch.remove() }
/// try scratch.store.create(baseID: 1, schema: DatabaseSchema())
/// ```
public final class ScratchDatabases: Sendable {
    /// Where the scratch databases live; every id is free at first.
    public let store: any EstablishmentStore
    private let cleanup: @Sendable () -> Void

    public init(store: any EstablishmentStore, cleanup: @escaping @Sendable () -> Void) {
        self.store = store
        self.cleanup = cleanup
    }

    /// Drops every scratch database (whatever a failed restore left).
    public func remove() { cleanup() }
}
