import Foundation

/// The one server of a kind a test process shares, started on first use; a start that failed is not tried
/// again, every later test gets the same failure.
final class SharedTestServer<Server: AnyObject>: @unchecked Sendable {
    private let lock = NSLock()
    private var server: Server?
    private var failure: Error?

    func get(starting start: () throws -> Server) throws -> Server {
        try lock.withLock {
            if let server { return server }
            if let failure { throw failure }
            do {
                let started = try start()
                server = started
                return started
            } catch {
                failure = error
                throw error
            }
        }
    }
}
