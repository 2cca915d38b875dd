import Foundation

/// Why ``HostingStateSource`` cannot answer: it never managed to read the registry (the portal answers
/// 503, and the reason was logged).
enum PortalSnapshotError: Error, CustomStringConvertible {
    case notLoaded

    var description: String {
        "the registry has not been read yet: check that it can be reached (transfert doctor), the portal retries"
    }
}
