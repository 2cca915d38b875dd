import Foundation
import Logging
import TransfertFormats
import TransfertModel
import TransfertStorage

/// A swift-log handler that writes each entry as one JSON object on a line of a ``RotatingLogFile`` —
/// `at`, `level`, `message`, then the metadata as keys — and, when `echo` is set (`--verbose`), the same
/// line on standard error. A line that cannot be written is said once on standard error, never thrown:
/// the log records the work, it must not stop it.
public struct JSONLinesLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    public var metadataProvider: Logger.MetadataProvider?
    let file: RotatingLogFile
    let echo: Bool

    public init(file: RotatingLogFile, echo: Bool) {
        self.file = file
        self.echo = echo
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: Any] = [
            "at": ISO8601DateFormatter().string(from: Date()), "level": event.level.rawValue,
            "message": event.message.description,
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, new in new }) {
            object[key] = Self.json(value)
        }
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        let line = String(decoding: data, as: UTF8.self)
        if echo { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        do { try file.append(line) } catch {
            FileHandle.standardError.write(
                Data(
                    "warning: the operations log \(file.url.path) \(error.localizedDescription); this operation is not in it\n"
                        .utf8))
        }
    }

    static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): return text
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return values.map(json)
        case .dictionary(let values): return values.mapValues(json)
        }
    }
}
