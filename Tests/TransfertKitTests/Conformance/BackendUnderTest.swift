import Foundation
import Testing
@testable import TransfertKit

/// A backend the conformance suite runs against: how to make a fresh, empty one. Every backend of
/// `Sources/TransfertKit/Backends/` is listed in ``all``; the suite runs unchanged against each.
struct BackendUnderTest: CustomTestStringConvertible, Sendable {
    let name: String
    /// A fresh, initialised backend with the default zone, and what removes it.
    let make: @Sendable () throws -> (backend: any HostingBackend, cleanup: @Sendable () -> Void)
    /// A second connection to the same registry, as another process would have.
    let reopen: @Sendable (any HostingBackend) throws -> any HostingBackend

    var testDescription: String { name }

    static let sqlite = BackendUnderTest(name: "SQLite", make: {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("transfert-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let backend = try SQLiteBackend(directory: directory, create: true)
        _ = try backend.registry.addZone(named: Zone.defaultZoneName)
        return (backend, { try? FileManager.default.removeItem(at: directory) })
    }, reopen: { backend in
        guard let store = backend.establishments as? SQLiteEstablishmentStore else { throw CocoaError(.featureUnsupported) }
        return try SQLiteBackend(directory: store.directory.deletingLastPathComponent(), create: false)
    })

    static let all: [BackendUnderTest] = [.sqlite]
}
