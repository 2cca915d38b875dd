/// A throwaway test server that could not start, and why (the end of its log when it has one): the tests
/// that need it fail with this, nothing is skipped.
public struct TestServerStartFailure: Error, CustomStringConvertible {
    public var description: String
}
