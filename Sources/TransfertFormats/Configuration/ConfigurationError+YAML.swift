import Foundation
import TransfertModel
import Yams

extension ConfigurationError {
    /// The error of a YAML file that did not decode: its syntax error with the line and column, or the
    /// key at fault (``describe(_:)``).
    package static func decoding(_ error: DecodingError, file: String) -> ConfigurationError {
        if case .dataCorrupted(let context) = error, let yaml = context.underlyingError as? YamlError {
            switch yaml {
            case .scanner(let yamlContext, let problem, let mark, _),
                .parser(let yamlContext, let problem, let mark, _),
                .composer(let yamlContext, let problem, let mark, _):
                return .syntax(
                    file: file, line: mark.line, column: mark.column,
                    reason: (yamlContext.map { "\($0.text) " } ?? "") + problem)
            default:
                break
            }
        }
        return .invalid(file: file, reason: describe(error))
    }

    package static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "missing key `\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)`"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "key `\(path(context))`: \(context.debugDescription)"
        case .dataCorrupted(let context):
            let key = path(context)
            return key.isEmpty ? context.debugDescription : "key `\(key)`: \(context.debugDescription)"
        @unknown default:
            return String(describing: error)
        }
    }
}
