import Foundation
import TransfertFormats
import TransfertKit
import TransfertModel
import TransfertStorage

/// Where the portal learns what users of an establishment meet. The hosting's registry in production
/// (``HostingStateSource``); a fixed table in tests (``InMemoryStateSource``).
public protocol AccessStateSource: Sendable {
    /// The state of establishment `baseID` at `now`; `nil` when there is no such establishment. Called on
    /// the server's event loops at every request: answered from memory, without waiting on I/O.
    func state(baseID: Int64, at now: Date) throws -> AccessState?
    /// How many establishments the hosting has: reading it proves the registry answers (`/health`, which
    /// calls it off the event loops).
    func establishmentCount() throws -> Int
}

/// States given by the test (or a demonstration): no registry, no clock.
public struct InMemoryStateSource: AccessStateSource {
    public var states: [Int64: AccessState]
    /// Makes every read fail, as a registry that went away does.
    public var failure: (any Error & Sendable)?

    public init(states: [AccessState], failure: (any Error & Sendable)? = nil) {
        self.states = Dictionary(states.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.failure = failure
    }

    public func state(baseID: Int64, at now: Date) throws -> AccessState? {
        if let failure { throw failure }
        return states[baseID]
    }

    public func establishmentCount() throws -> Int {
        if let failure { throw failure }
        return states.count
    }
}
