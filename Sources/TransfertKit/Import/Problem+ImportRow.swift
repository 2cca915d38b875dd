import TransfertFormats
import TransfertModel
import TransfertStorage

/// An import's validation reports ``Problem``s. A row's problem names its place at the head of its
/// sentence (`line 3, UAI '0750001X': …`, the words the import always printed) and in its location: the CSV's
/// path, line, column (``ProblemLocation/field``), value and the row's `Nom_fichier` (establishment).
extension Problem {
    /// - Parameters:
    ///   - file: the CSV (for row problems) or the ZIP (for the bundle's).
    ///   - line: the CSV line (1 is the header); `nil` for a problem of the bundle as a whole.
    ///   - establishment: the row's `Nom_fichier`, when it names a dump of the bundle.
    static func importRow(
        code: ProblemCode = .csvInvalidValue, file: String? = nil, line: Int?, column: String?, value: String?,
        establishment: String? = nil, message: String
    ) -> Problem {
        let place = importRowPlace(line: line, column: column, value: value)
        return Problem(
            code: code, message: place.map { $0 + ": " + message } ?? message,
            location: ProblemLocation(file: file, line: line, field: column, value: value, establishment: establishment)
        )
    }

    /// The words a row's problem starts with (`line 3, UAI '0750001X'`), or `nil` for the bundle's.
    static func importRowPlace(line: Int?, column: String?, value: String?) -> String? {
        var place: [String] = []
        if let line { place.append("line \(line)") }
        if let column { place.append(value.map { "\(column) '\($0)'" } ?? column) }
        return place.isEmpty ? nil : place.joined(separator: ", ")
    }

    /// The sentence without the place ``importRow(code:file:line:column:value:establishment:message:)`` put at
    /// its head: `import --json`'s `message`, as it was published before problems carried their place.
    public var messageWithoutImportRowPlace: String {
        guard let place = Self.importRowPlace(line: location?.line, column: location?.field, value: location?.value),
            message.hasPrefix(place + ": ")
        else { return message }
        return String(message.dropFirst(place.count + 2))
    }
}
