import Foundation
import TransfertModel

/// Takes the backup `restore --replace` makes of an establishment before it touches it, and says where
/// the bundle is. The restore goes on only once it returns.
public protocol SafetyBackup: Sendable {
    func backUp(_ structure: Structure) throws -> URL
}

/// A ``SafetyBackup`` made by a closure (the command line gives one that exports to the backup area).
public struct SafetyBackupClosure: SafetyBackup {
    private let body: @Sendable (Structure) throws -> URL

    public init(_ body: @escaping @Sendable (Structure) throws -> URL) {
        self.body = body
    }

    public func backUp(_ structure: Structure) throws -> URL { try body(structure) }
}
