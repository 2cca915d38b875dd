import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Fills a hosting with realistic, deterministic establishments for demos, tests and benchmarks.
///
/// The same seed and options give the same registry rows, databases and files, byte for byte in their
/// content (see ``HostingDigest``). About 500 grade rows are generated per student, so
/// `students: 2000` gives about a million grades (about 70 MB of SQLite).
///
/// ```swift
/// let created = try SampleGenerator(structures: 3, students: 120, seed: 42).fill(hosting)
/// ```
public struct SampleGenerator: Sendable {
    public var structures: Int
    /// Students per establishment.
    public var students: Int
    public var seed: UInt64

    /// Per class: subjects × assessments per subject × items per assessment ≈ grades per student.
    static let subjectsPerClass = 10
    static let assessmentsPerSubject = 10
    static let itemsPerAssessment = 5
    static let classSize = 25

    /// The tables and columns the generator writes: the school profile's (`Samples/school-profile.yaml`).
    static let writtenTables: [(table: String, columns: [String])] = [
        (
            "users",
            [
                "id", "profile", "last_name", "first_name", "login", "email", "password_hash", "birth_date",
                "last_connection",
            ]
        ),
        ("user_groups", ["id", "kind", "level", "name"]),
        ("memberships", ["group_id", "user_id"]),
        ("subjects", ["id", "code", "name"]),
        ("assessments", ["id", "group_id", "subject_id", "teacher_id", "assessed_on", "title", "coefficient"]),
        ("grades", ["id", "assessment_id", "student_id", "item", "score", "points", "graded_on"]),
        ("messages", ["id", "author_id", "title", "body", "starts_on", "ends_on"]),
        ("images", ["id", "user_id", "kind", "mime_type", "data"]),
        ("reports", ["id", "student_id", "period", "content", "generated_at"]),
    ]

    static func columns(of table: String) -> [String] {
        writtenTables.first { $0.table == table }?.columns ?? []
    }

    /// The two kinds of content the generator writes: the school profile's tables, or SACoche's.
    enum ContentKind { case school, sacoche }

    /// Which content fits `profile`, checked before anything is created: an establishment registered
    /// and then left without its rows is the half state `sample` must never leave.
    static func kind(for profile: ApplicationProfile) throws -> ContentKind {
        let school = missingTables(in: profile)
        if school.isEmpty { return .school }
        let sacoche = missingTables(in: profile, of: SACocheSampleContent.writtenTables)
        if sacoche.isEmpty { return .sacoche }
        throw SampleError.profileLacksTables(profile: profile.name, missing: school, missingSACoche: sacoche)
    }

    /// What this hosting's profile lacks of the tables and columns the generator writes for the school
    /// profile (or `tables`); empty when it has them all.
    public static func missingTables(
        in profile: ApplicationProfile, of tables: [(table: String, columns: [String])]? = nil
    ) -> [String] {
        let schema = profile.databaseSchema
        return (tables ?? writtenTables).compactMap { table, columns in
            guard let declared = schema.table(named: table) else { return table }
            let missing = columns.filter { !declared.columnNames.contains($0) }
            return missing.isEmpty ? nil : "\(table) (columns \(missing.joined(separator: ", ")))"
        }
    }

    public init(structures: Int, students: Int = 120, seed: UInt64 = 1) {
        self.structures = structures
        self.students = students
        self.seed = seed
    }

    /// Adds the establishments to `hosting` and returns them. Ids follow the hosting's current maximum.
    /// `work` is told of each establishment as it is written; `added` hears of each one written.
    @discardableResult
    public func fill(_ hosting: Hosting, work: WorkProgress? = nil, added: (Structure) -> Void = { _ in }) throws
        -> [Structure]
    {
        let kind = try Self.kind(for: hosting.profile)
        var created: [Structure] = []
        work?.begin(items: structures)
        for index in 0..<structures {
            // One generator per establishment: adding establishments never changes earlier ones.
            var random = SeededGenerator(seed: seed &* 0x1000_0000_01B3 &+ UInt64(index))
            let structure = try hosting.addStructure(try registration(index: index, random: &random, hosting: hosting))
            let item = work?.startItem(structure.displayName)
            defer { item?.finish() }
            do {
                try hosting.establishments.write(baseID: structure.baseID) { writer in
                    switch kind {
                    case .school:
                        var content = EstablishmentContent(students: students, random: random)
                        try content.write(into: writer)
                    case .sacoche:
                        var content = SACocheSampleContent(
                            students: students, denomination: structure.denomination, random: random)
                        try content.write(into: writer)
                    }
                }
                // A SACoche base keeps no uploads in its database, and SACoche's transfer carries none.
                if kind == .school { try writeFiles(for: structure, in: hosting, random: &random) }
            } catch {
                // Never a registered establishment without its rows: database, files and registry row go.
                Doctor(hosting: hosting).rollBack(structure.baseID)
                throw error
            }
            created.append(structure)
            added(structure)
        }
        return created
    }

    private func registration(index: Int, random: inout SeededGenerator, hosting: Hosting) throws -> NewStructure {
        let town = random.pick(FrenchNames.towns)
        // Stepping by 5 (prime to the list's length) gives distinct names to consecutive establishments.
        let name = FrenchNames.establishments[(Int(seed % 997) + index * 5) % FrenchNames.establishments.count]
        let first = random.pick(FrenchNames.firstNames)
        let last = random.pick(FrenchNames.lastNames)
        var uai: UAI
        repeat {
            let department = random.pick([1, 13, 25, 33, 38, 45, 59, 69, 75, 88, 93, 974])
            let number = department * 10_000 + random.int(0...9_999)
            uai = try UAI(validating: String(format: "%07d", number) + String(UAI.checkLetter(forSevenDigits: number)))
        } while try hosting.registry.structure(uai: uai) != nil
        let academy = random.pick(FrenchNames.academies)
        let date = try CalendarDate(year: random.int(2012...2025), month: random.int(1...12), day: random.int(1...28))
        return NewStructure(
            guid: random.uuid(), zoneID: 1, uai: uai.rawValue, localisation: town, denomination: name,
            contactNom: last, contactPrenom: first,
            contactCourriel: "\(FrenchNames.asciiFold(first)).\(FrenchNames.asciiFold(last))@ac-\(academy).fr",
            inscriptionDate: date)
    }

    /// Uploads: a logo, a few documents with accented names, and badges.
    private func writeFiles(for structure: Structure, in hosting: Hosting, random: inout SeededGenerator) throws {
        let root = hosting.filesDirectory(baseID: structure.baseID)
        let pngHeader = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var files: [(String, Data)] = [
            ("logo.png", pngHeader + random.bytes(random.int(2_000...6_000))),
            (
                "documents/Règlement intérieur 2025-2026.pdf",
                Data("%PDF-1.4\n".utf8) + random.bytes(random.int(8_000...20_000))
            ),
            (
                "documents/Projet d'établissement.txt",
                Data(
                    "Projet d'établissement — \(structure.denomination)\nObjectifs : réussite de tous les élèves.\n"
                        .utf8)
            ),
        ]
        for badge in 1...random.int(1...4) {
            files.append(("badges/badge_\(badge).png", pngHeader + random.bytes(random.int(500...1_500))))
        }
        for (path, data) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            guard
                FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600])
            else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        }
    }
}

/// The rows of one sample establishment database.
struct EstablishmentContent {
    let students: Int
    var random: SeededGenerator

    private var schoolYearStart: Int { 2025 }

    mutating func write(into writer: any EstablishmentWriter) throws {
        let staffCount = max(3, students / 12 + 5)
        let classCount = max(1, (students + SampleGenerator.classSize - 1) / SampleGenerator.classSize)

        // Users: staff first, then students, then parents.
        let users = try writer.makeInserter(table: "users", columns: SampleGenerator.columns(of: "users"))
        var userID: Int64 = 0
        var logins = Set<String>()
        func addUser(
            _ profile: String, random: inout SeededGenerator, lastName: String? = nil, birthYear: ClosedRange<Int>
        ) throws -> (Int64, String) {
            userID += 1
            let last = lastName ?? random.pick(FrenchNames.lastNames)
            let first = random.pick(FrenchNames.firstNames)
            var login = "\(FrenchNames.asciiFold(first)).\(FrenchNames.asciiFold(last))"
            if logins.contains(login) { login += String(userID) }
            logins.insert(login)
            let email: SQLValue = profile == "student" && random.chance(0.7) ? .null : .text("\(login)@exemple.fr")
            let connection: SQLValue =
                random.chance(0.9)
                ? .text(
                    String(
                        format: "2026-%02d-%02d %02d:%02d:%02d", random.int(1...10), random.int(1...28),
                        random.int(7...21), random.int(0...59), random.int(0...59)))
                : .null
            let birth = String(format: "%04d-%02d-%02d", random.int(birthYear), random.int(1...12), random.int(1...28))
            let hash = "$2y$10$" + random.bytes(40).base64EncodedString().prefix(53)
            try users.insert([
                .integer(userID), .text(profile), .text(last), .text(first), .text(login), email,
                .text(String(hash)), .text(birth), connection,
            ])
            return (userID, last)
        }
        var staffIDs: [Int64] = []
        for _ in 0..<staffCount { staffIDs.append(try addUser("staff", random: &random, birthYear: 1960...1998).0) }
        var studentIDs: [(id: Int64, lastName: String)] = []
        for _ in 0..<students { studentIDs.append(try addUser("student", random: &random, birthYear: 2010...2014)) }
        var parentIDs: [Int64] = []
        for student in studentIDs where random.chance(0.8) {
            parentIDs.append(
                try addUser("parent", random: &random, lastName: student.lastName, birthYear: 1970...1990).0)
        }

        // Classes and memberships.
        let groups = try writer.makeInserter(table: "user_groups", columns: SampleGenerator.columns(of: "user_groups"))
        let memberships = try writer.makeInserter(
            table: "memberships", columns: SampleGenerator.columns(of: "memberships"))
        var classMembers: [[Int64]] = Array(repeating: [], count: classCount)
        for (index, student) in studentIDs.enumerated() {
            classMembers[index / SampleGenerator.classSize].append(student.id)
        }
        for classIndex in 0..<classCount {
            let level = FrenchNames.levels[classIndex % FrenchNames.levels.count]
            let letter = Character(UnicodeScalar(UInt8(65 + (classIndex / FrenchNames.levels.count) % 26)))
            try groups.insert([
                .integer(Int64(classIndex + 1)), .text("classe"), .text(level), .text("\(level) \(letter)"),
            ])
            for member in classMembers[classIndex] {
                try memberships.insert([.integer(Int64(classIndex + 1)), .integer(member)])
            }
        }

        let subjects = try writer.makeInserter(table: "subjects", columns: SampleGenerator.columns(of: "subjects"))
        for (index, subject) in FrenchNames.subjects.enumerated() {
            try subjects.insert([.integer(Int64(index + 1)), .text(subject.0), .text(subject.1)])
        }

        // Assessments and grades: the big table.
        let assessments = try writer.makeInserter(
            table: "assessments", columns: SampleGenerator.columns(of: "assessments"))
        let grades = try writer.makeInserter(table: "grades", columns: SampleGenerator.columns(of: "grades"))
        var assessmentID: Int64 = 0
        var gradeID: Int64 = 0
        var gradeRow: [SQLValue] = Array(repeating: .null, count: 7)
        for classIndex in 0..<classCount {
            for subject in 0..<SampleGenerator.subjectsPerClass {
                for number in 1...SampleGenerator.assessmentsPerSubject {
                    assessmentID += 1
                    let date = String(
                        format: "%04d-%02d-%02d", number <= 4 ? schoolYearStart : schoolYearStart + 1,
                        [9, 10, 11, 12, 1, 2, 3, 4, 5, 6][number - 1], random.int(1...28))
                    try assessments.insert([
                        .integer(assessmentID), .integer(Int64(classIndex + 1)), .integer(Int64(subject + 1)),
                        .integer(random.pick(staffIDs)), .text(date),
                        .text("Évaluation n°\(number) — \(FrenchNames.subjects[subject].1)"),
                        .real(random.pick([0.5, 1, 1, 1, 2])),
                    ])
                    gradeRow[1] = .integer(assessmentID)
                    gradeRow[6] = .text(date)
                    for student in classMembers[classIndex] {
                        for item in 1...SampleGenerator.itemsPerAssessment {
                            gradeID += 1
                            let score = FrenchNames.scores[min(random.int(0...7), FrenchNames.scores.count - 1)]
                            gradeRow[0] = .integer(gradeID)
                            gradeRow[2] = .integer(student)
                            gradeRow[3] = .integer(Int64(item))
                            gradeRow[4] = .text(score)
                            gradeRow[5] =
                                score == "AB" || score == "NE" ? .null : .real(Double(random.int(0...40)) / 10)
                            try grades.insert(gradeRow)
                        }
                    }
                }
            }
        }

        // Messages, images (BLOBs) and archived reports (long texts).
        let messages = try writer.makeInserter(table: "messages", columns: SampleGenerator.columns(of: "messages"))
        for id in 1...max(3, students / 50) {
            let body = (0..<random.int(2...5)).map { _ in random.pick(FrenchNames.reportSentences) }.joined(
                separator: "\n")
            try messages.insert([
                .integer(Int64(id)), .integer(random.pick(staffIDs)),
                .text("Information n°\(id) : réunion parents-professeurs"),
                .text(body), .text("2025-09-\(String(format: "%02d", random.int(1...28)))"), .text("2026-06-30"),
            ])
        }
        let images = try writer.makeInserter(table: "images", columns: SampleGenerator.columns(of: "images"))
        for id in 1...max(2, students / 20) {
            let header = Data([0xFF, 0xD8, 0xFF, 0xE0])
            try images.insert([
                .integer(Int64(id)), id == 1 ? .null : .integer(random.pick(staffIDs)),
                .text(id == 1 ? "logo" : "signature"), .text("image/jpeg"),
                .blob(header + random.bytes(random.int(2_000...8_000)) + Data([0x00, 0x27, 0x22, 0xFF, 0xD9])),
            ])
        }
        let reports = try writer.makeInserter(table: "reports", columns: SampleGenerator.columns(of: "reports"))
        for (index, student) in studentIDs.enumerated() {
            let content = (0..<random.int(8...16)).map { _ in random.pick(FrenchNames.reportSentences) }.joined(
                separator: "\n\n")
            try reports.insert([
                .integer(Int64(index + 1)), .integer(student.id), .text("Trimestre 1"),
                .text("Bilan du trimestre\n\n" + content), .text("2025-12-15 18:00:00"),
            ])
        }
    }
}
