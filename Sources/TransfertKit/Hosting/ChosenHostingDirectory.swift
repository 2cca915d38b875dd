import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The hosting directory a command works on, and why that one: the operator reads both when it holds no
/// hosting (``HostingLocationError``), so that a fallback to `./hosting` is never a mystery.
public struct ChosenHostingDirectory: Equatable, Sendable {
    /// Where the directory came from, in the order they are tried.
    public enum Source: String, Equatable, Sendable {
        /// `--hosting DIR` (before or after the command's name).
        case option
        /// `$TRANSFERT_HOSTING`.
        case environment
        /// Neither was given: `./hosting`, relative to the current directory.
        case defaultDirectory = "default"
    }

    /// Absolute and standardised.
    public var directory: URL
    public var source: Source

    public init(directory: URL, source: Source) {
        self.directory = directory
        self.source = source
    }

    /// Whether the directory holds a hosting (its `transfert.yaml`).
    public var holdsHosting: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(Hosting.configurationFileName).path)
    }

    /// ``HostingLocationError/noHosting(_:directoryExists:)`` for this directory.
    public var noHostingError: HostingLocationError {
        var isDirectory: ObjCBool = false
        let exists =
            FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) && isDirectory.boolValue
        return .noHosting(self, directoryExists: exists)
    }
}
