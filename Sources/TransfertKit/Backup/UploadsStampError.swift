import Foundation
import TransfertModel

/// A folder of uploads that cannot be listed: its stamp cannot be taken, so its establishment counts as
/// changed and its backup says why it failed.
public struct UploadsStampError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String {
        "the uploads folder \(path) cannot be listed (\(reason)): check its owner and permissions"
    }
}
