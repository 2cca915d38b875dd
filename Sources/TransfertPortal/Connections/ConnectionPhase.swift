/// What ``HTTP1ConnectionRules`` tells ``ConnectionDeadlines`` (an outbound user event, travelling towards
/// the socket): which of a request's timeouts applies now.
enum ConnectionPhase: Sendable {
    /// A request arrived whole: it is being answered, no read timeout runs.
    case requestReceived
    /// An answer was handed to the socket in full: the connection waits for the next request.
    case responseSent
}
