import Foundation

/// `manifest.csv` of a OneRoster 1.1 CSV package: `propertyName,value` rows saying which version it is
/// and how each file is processed. What Transfert needs is checked here, with the line of the property:
/// `manifest.version` 1.0, `oneroster.version` 1.1, `file.enrollments` bulk or delta, and
/// `file.classes`/`file.users` bulk (enrollments name their class and user by `sourcedId`; only complete
/// classes and users files can resolve every one of them).
public struct OneRosterManifest: Equatable, Sendable {
    public var enrollments: OneRosterProcessing
    /// Every `file.*` property, by file name (`enrollments.csv`).
    public var files: [String: OneRosterProcessing]

    /// The properties OneRoster 1.1 defines; any other is refused.
    static let fileProperties = [
        "academicSessions", "categories", "classes", "classResources", "courses", "courseResources",
        "demographics", "enrollments", "lineItems", "orgs", "resources", "results", "users",
    ]
    static let otherProperties = ["manifest.version", "oneroster.version", "source.systemName", "source.systemCode"]

    public init(url: URL, file: String) throws {
        var values: [String: (value: String, line: Int)] = [:]
        let known = Self.otherProperties + Self.fileProperties.map { "file.\($0)" }
        let checkHeader: (OneRosterCSVFile.Header) throws -> Void = { header in
            try OneRosterCSVFile.require(["propertyName", "value"], in: header, file: file)
            if header.count != 2 {
                throw OneRosterFileError.manifest(
                    file: file, line: 1, property: "(header)",
                    reason: "the header is propertyName,value and nothing else")
            }
        }
        try OneRosterCSVFile(url: url, file: file).forEachLine(checkHeader: checkHeader) { line, number, header in
            guard case .fields(let fields) = line else {
                if case .malformed(let reason) = line {
                    throw OneRosterFileError.malformedLine(file: file, line: number, reason: reason)
                }
                return
            }
            guard fields.count == 2 else {
                throw OneRosterFileError.malformedLine(
                    file: file, line: number, reason: "the line has \(fields.count) field(s) where the header has 2")
            }
            let name = fields[header.position(of: "propertyName") ?? 0].trimmingCharacters(in: .whitespaces)
            let value = fields[header.position(of: "value") ?? 1].trimmingCharacters(in: .whitespaces)
            guard let property = known.first(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
                throw OneRosterFileError.manifest(
                    file: file, line: number, property: name.isEmpty ? "(empty)" : name,
                    reason: "unknown property (OneRoster 1.1 defines \(known.joined(separator: ", ")))")
            }
            if let earlier = values[property] {
                throw OneRosterFileError.manifest(
                    file: file, line: number, property: property, reason: "already given on line \(earlier.line)")
            }
            values[property] = (value, number)
        }
        func required(_ property: String) throws -> (value: String, line: Int) {
            guard let found = values[property] else {
                throw OneRosterFileError.manifest(
                    file: file, line: nil, property: property, reason: "the manifest does not give it")
            }
            return found
        }
        let manifestVersion = try required("manifest.version")
        guard manifestVersion.value == "1.0" else {
            throw OneRosterFileError.manifest(
                file: file, line: manifestVersion.line, property: "manifest.version",
                reason: "'\(manifestVersion.value)' is not 1.0, the manifest version of OneRoster 1.1")
        }
        let version = try required("oneroster.version")
        guard version.value == "1.1" else {
            throw OneRosterFileError.manifest(
                file: file, line: version.line, property: "oneroster.version",
                reason: "'\(version.value)' is not 1.1: Transfert reads OneRoster 1.1 CSV packages")
        }
        var files: [String: OneRosterProcessing] = [:]
        for name in Self.fileProperties {
            let property = "file.\(name)"
            guard let given = values[property] else { continue }
            guard let processing = OneRosterProcessing(rawValue: given.value.lowercased()) else {
                throw OneRosterFileError.manifest(
                    file: file, line: given.line, property: property,
                    reason: "'\(given.value)' is not bulk, delta or absent")
            }
            files["\(name).csv"] = processing
        }
        let enrollments = try required("file.enrollments")
        switch files["enrollments.csv"] {
        case let processing? where processing != .absent: self.enrollments = processing
        default:
            throw OneRosterFileError.manifest(
                file: file, line: enrollments.line, property: "file.enrollments",
                reason: "the package holds no enrollments (absent): there is nothing to apply")
        }
        for name in ["classes", "users"] {
            let given = try required("file.\(name)")
            guard files["\(name).csv"] == .bulk else {
                throw OneRosterFileError.manifest(
                    file: file, line: given.line, property: "file.\(name)",
                    reason:
                        "'\(given.value)': Transfert resolves each enrollment's \(name == "classes" ? "classSourcedId" : "userSourcedId") through \(name).csv, so it must be complete (bulk); export \(name).csv in bulk with the enrollments"
                )
            }
        }
        self.files = files
    }
}
