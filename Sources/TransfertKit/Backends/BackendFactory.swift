import Foundation

/// Opens (or creates, for `init`) the backend a hosting's configuration names: the one place that knows
/// every backend, so that nothing else branches on the engine.
public enum BackendFactory {
    public static func make(_ settings: BackendSettings, hostingDirectory: URL, create: Bool) throws -> any HostingBackend {
        switch settings.kind {
        case .sqlite:
            return try SQLiteBackend(directory: hostingDirectory, create: create)
        case .mariadb:
            throw BackendError.notAvailable(kind: settings.kind)
        }
    }
}

public enum BackendError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A backend the configuration names but this version cannot open yet.
    case notAvailable(kind: BackendKind)

    public var description: String {
        switch self {
        case .notAvailable(let kind):
            return "transfert.yaml: backend kind `\(kind.rawValue)` is not available in Transfert \(TransfertKitVersion.current): use `sqlite`, or a newer Transfert"
        }
    }
}
