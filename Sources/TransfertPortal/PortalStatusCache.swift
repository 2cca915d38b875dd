import Foundation
import Hummingbird
import Synchronization
import TransfertKit

/// `/status` answers already encoded, by the whole state they encode: within a second (`checked_at` and
/// `retry_after` change at the next one) every request about one establishment shares one encoding.
/// Bounded: emptied when it holds ``limit`` answers.
final class PortalStatusCache: Sendable {
    let limit: Int
    private let bodies = Mutex<[AccessState: ByteBuffer]>([:])

    init(limit: Int = 4_096) {
        self.limit = limit
    }

    /// The JSON of `state`, encoded by `encode` the first time only.
    func body(of state: AccessState, encode: (AccessState) -> ByteBuffer) -> ByteBuffer {
        if let body = bodies.withLock({ $0[state] }) { return body }
        let body = encode(state)
        bodies.withLock { bodies in
            if bodies.count >= limit { bodies.removeAll(keepingCapacity: true) }
            bodies[state] = body
        }
        return body
    }
}
