import Foundation
import TransfertModel

/// Values written into the YAML files Transfert generates (`transfert.yaml`, a MariaDB hosting's settings).
package enum YAMLScalar {
    /// A YAML double-quoted scalar: JSON string syntax is valid YAML, so any text (quotes, `#`, accents,
    /// newlines) is written safely.
    package static func quoted(_ value: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}
