import Foundation

/// The header line of a membership snapshot flat file: which column holds which field. Column names
/// compare without regard to case or surrounding spaces.
struct SnapshotHeader {
    static let person = "EXTERNAL_PERSON_KEY"
    static let course = "EXTERNAL_COURSE_KEY"
    static let organization = "EXTERNAL_ORGANIZATION_KEY"
    static let role = "ROLE"
    static let available = "AVAILABLE_IND"
    static let rowStatus = "ROW_STATUS"
    static let dataSource = "DATA_SOURCE_KEY"
    static let newDataSource = "NEW_DATA_SOURCE_KEY"
    static let known = [course, organization, person, role, available, rowStatus, dataSource, newDataSource]

    /// The name of the course column the file uses (`EXTERNAL_COURSE_KEY` or `EXTERNAL_ORGANIZATION_KEY`).
    let courseField: String
    let count: Int
    let course: Int
    let person: Int
    let role: Int?
    let available: Int?
    let rowStatus: Int?
    let dataSource: Int?
    let newDataSource: Int?

    init(line: String, file: String) throws(FeedFileError) {
        guard line.contains("|") else {
            for candidate in [",", ";", "\t"] where line.contains(candidate) {
                throw .wrongDelimiter(file: file, found: candidate == "\t" ? "tab" : candidate)
            }
            // One column alone cannot be a membership file: name what is missing.
            let only = line.trimmingCharacters(in: .whitespaces).uppercased()
            throw .missingField(file: file, field: only == Self.person ? Self.course : Self.person)
        }
        let names = line.split(separator: "|", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces).uppercased()
        }
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() {
            guard Self.known.contains(name) else {
                throw .unknownField(file: file, field: name.isEmpty ? "(empty)" : name, known: Self.known)
            }
            guard index[name] == nil else { throw .duplicateField(file: file, field: name) }
            index[name] = position
        }
        guard let person = index[Self.person] else { throw .missingField(file: file, field: Self.person) }
        switch (index[Self.course], index[Self.organization]) {
        case (let course?, nil):
            self.course = course
            courseField = Self.course
        case (nil, let organization?):
            self.course = organization
            courseField = Self.organization
        case (nil, nil): throw .missingField(file: file, field: Self.course)
        default: throw .ambiguousCourseKey(file: file)
        }
        self.person = person
        count = names.count
        role = index[Self.role]
        available = index[Self.available]
        rowStatus = index[Self.rowStatus]
        dataSource = index[Self.dataSource]
        newDataSource = index[Self.newDataSource]
    }
}
