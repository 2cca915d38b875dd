/// Where a ``Problem`` is: a file (a path on disk, or an entry of the bundle), its line and column, a
/// field (a CSV column, a configuration key, a table), the value found there, and the establishment.
/// Every part is optional; absent parts are left out of the JSON.
public struct ProblemLocation: Codable, Equatable, Sendable {
    public var file: String?
    public var line: Int?
    public var column: Int?
    public var field: String?
    public var value: String?
    /// The establishment's folder in the bundle (`Nom_fichier`).
    public var establishment: String?
    /// The establishment's id (on the source for a bundle, here for a live one).
    public var baseID: Int64?

    public init(
        file: String? = nil, line: Int? = nil, column: Int? = nil, field: String? = nil, value: String? = nil,
        establishment: String? = nil, baseID: Int64? = nil
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.value = value
        self.establishment = establishment
        self.baseID = baseID
    }

    var isEmpty: Bool { self == ProblemLocation() }

    /// Fills what this location lacks from `other` (the establishment a dump error belongs to).
    public mutating func adopt(_ other: ProblemLocation) {
        file = file ?? other.file
        line = line ?? other.line
        column = column ?? other.column
        field = field ?? other.field
        value = value ?? other.value
        establishment = establishment ?? other.establishment
        baseID = baseID ?? other.baseID
    }

    enum CodingKeys: String, CodingKey {
        case file, line, column, field, value, establishment
        case baseID = "base_id"
    }
}
