import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// The rows of one sample establishment of a hosting with SACoche's profile (`Samples/sacoche-profile.yaml`),
/// in SACoche's own tables: levels, subjects, classes, users (`DIR`, `ENS`, `ELV`, `TUT`), their groups
/// and subjects, three terms, a skills framework (`referentiel`: domain, themes, items) per subject and
/// level, assessments (`devoir`) with their items, and the grades (`saisie`, the big table: about 500 per
/// pupil, as for the school profile). Every value fits its MySQL column, so that `export --format sacoche`
/// writes what SACoche's MySQL restores (``MySQLColumnRule``).
struct SACocheSampleContent {
    let students: Int
    let denomination: String
    var random: SeededGenerator

    /// The tables and columns written; `sample` checks the profile has them before creating anything.
    static let writtenTables: [(table: String, columns: [String])] = [
        ("sacoche_parametre", ["parametre_nom", "parametre_valeur"]),
        (
            "sacoche_niveau",
            [
                "niveau_id", "niveau_actif", "niveau_usuel", "niveau_famille_id", "niveau_ordre", "niveau_ref",
                "code_mef", "niveau_nom",
            ]
        ),
        (
            "sacoche_matiere",
            [
                "matiere_id", "matiere_active", "matiere_usuelle", "matiere_ordre", "matiere_code", "matiere_ref",
                "matiere_nom",
            ]
        ),
        ("sacoche_groupe", ["groupe_id", "groupe_type", "groupe_ref", "groupe_nom", "niveau_id"]),
        (
            "sacoche_user",
            [
                "user_id", "user_sconet_id", "user_reference", "user_profil_sigle", "user_genre", "user_nom",
                "user_prenom",
                "user_naissance_date", "user_email", "user_login", "user_password", "user_connexion_date",
                "eleve_classe_id",
            ]
        ),
        ("sacoche_jointure_user_groupe", ["user_id", "groupe_id", "jointure_pp"]),
        ("sacoche_jointure_user_matiere", ["user_id", "matiere_id", "jointure_coord"]),
        ("sacoche_periode", ["periode_id", "periode_ordre", "periode_nom", "periode_livret"]),
        ("sacoche_jointure_groupe_periode", ["groupe_id", "periode_id", "jointure_date_debut", "jointure_date_fin"]),
        ("sacoche_referentiel", ["matiere_id", "niveau_id", "referentiel_partage_etat", "referentiel_partage_date"]),
        (
            "sacoche_referentiel_domaine",
            ["domaine_id", "matiere_id", "niveau_id", "domaine_ordre", "domaine_code", "domaine_ref", "domaine_nom"]
        ),
        ("sacoche_referentiel_theme", ["theme_id", "domaine_id", "theme_ordre", "theme_ref", "theme_nom"]),
        (
            "sacoche_referentiel_item",
            ["item_id", "theme_id", "item_ordre", "item_ref", "item_nom", "item_abrev", "item_coef", "item_comm"]
        ),
        (
            "sacoche_devoir",
            ["devoir_id", "proprio_id", "groupe_id", "devoir_date", "devoir_info", "devoir_visible_date"]
        ),
        ("sacoche_jointure_devoir_item", ["devoir_id", "item_id", "jointure_ordre"]),
        ("sacoche_jointure_devoir_prof", ["devoir_id", "prof_id", "jointure_droit"]),
        (
            "sacoche_saisie",
            [
                "prof_id", "eleve_id", "devoir_id", "item_id", "saisie_date", "saisie_note", "saisie_info",
                "saisie_visible_date",
            ]
        ),
        (
            "sacoche_message",
            [
                "message_id", "user_id", "message_debut_date", "message_fin_date", "message_contenu",
                "message_dests_cache",
            ]
        ),
    ]

    static func columns(of table: String) -> [String] { writtenTables.first { $0.table == table }?.columns ?? [] }

    /// SACoche's grades: acquired (VV, V), not yet (R, RR), absent (AB), not assessed (NN).
    static let notes = ["VV", "V", "V", "R", "RR", "VV", "AB", "NN"]
    static let subjects: [(ref: String, code: String, name: String)] = [
        ("FRANC", "020700", "Français"), ("MATHS", "061300", "Mathématiques"),
        ("HIGEO", "041100", "Histoire-géographie"),
        ("AGL1", "030201", "Anglais LV1"), ("ESP2", "030602", "Espagnol LV2"),
        ("SVT", "062900", "Sciences de la vie et de la Terre"),
        ("PH-CH", "061700", "Physique-chimie"), ("TECHN", "070300", "Technologie"),
        ("EPS", "100100", "Éducation physique et sportive"),
        ("A-PLA", "080100", "Arts plastiques"),
    ]
    static let levels: [(ref: String, mef: String, name: String)] = [
        ("6", "10010012110", "Sixième"), ("5", "10110001110", "Cinquième"), ("4", "10210001110", "Quatrième"),
        ("3", "10310019110", "Troisième"),
    ]

    mutating func write(into writer: any EstablishmentWriter) throws {
        func inserter(_ table: String) throws -> any RowInserter {
            try writer.makeInserter(table: table, columns: Self.columns(of: table))
        }
        let classCount = max(1, (students + SampleGenerator.classSize - 1) / SampleGenerator.classSize)

        try inserter("sacoche_parametre").insert([
            .text("etablissement_denomination"), .text(String(denomination.prefix(255))),
        ])
        let levels = try inserter("sacoche_niveau")
        for (index, level) in Self.levels.enumerated() {
            try levels.insert([
                .integer(Int64(index + 1)), .integer(1), .integer(1), .integer(100), .integer(Int64(index + 1)),
                .text(level.ref), .text(level.mef), .text(level.name),
            ])
        }
        let subjects = try inserter("sacoche_matiere")
        for (index, subject) in Self.subjects.enumerated() {
            try subjects.insert([
                .integer(Int64(index + 1)), .integer(1), .integer(1), .integer(Int64(index + 1)),
                .text(subject.code), .text(subject.ref), .text(subject.name),
            ])
        }

        // Users: the head, one teacher per subject and class block, pupils, parents.
        let users = try inserter("sacoche_user")
        var userID: Int64 = 0
        var logins = Set<String>()
        func addUser(_ sigle: String, lastName: String? = nil, birthYear: ClosedRange<Int>, classID: Int64 = 0) throws
            -> Int64
        {
            userID += 1
            let last = lastName ?? random.pick(FrenchNames.lastNames)
            let first = random.pick(FrenchNames.firstNames)
            var login = String(
                (FrenchNames.asciiFold(first).prefix(1) + FrenchNames.asciiFold(last)).lowercased().prefix(24))
            if logins.contains(login) { login += String(userID) }
            logins.insert(login)
            let email: SQLValue = sigle == "ELV" ? .text("") : .text("\(login)@exemple.fr")
            let connection: SQLValue =
                random.chance(0.85)
                ? .text(
                    String(
                        format: "2026-%02d-%02d %02d:%02d:%02d", random.int(1...10), random.int(1...28),
                        random.int(7...21), random.int(0...59), random.int(0...59)))
                : .null
            let birth = String(format: "%04d-%02d-%02d", random.int(birthYear), random.int(1...12), random.int(1...28))
            let password = random.bytes(16).map { String(format: "%02x", $0) }.joined()  // an MD5's 32 hex digits
            try users.insert([
                .integer(userID), .integer(Int64(random.int(100_000...9_999_999))),
                .text(
                    sigle == "ELV" ? String(format: "%09d%02d", random.int(0...999_999_999), random.int(10...99)) : ""),
                .text(sigle), .text(random.chance(0.5) ? "M" : "F"), .text(String(last.uppercased().prefix(25))),
                .text(String(first.prefix(25))),
                .text(birth), email, .text(login), .text(password), connection, .integer(classID),
            ])
            return userID
        }
        _ = try addUser("DIR", birthYear: 1965...1980)
        let teacherCount = Self.subjects.count * max(1, (classCount + 3) / 4)
        var teachers: [Int64] = []
        for _ in 0..<teacherCount { teachers.append(try addUser("ENS", birthYear: 1960...1998)) }
        var pupilsOf: [[Int64]] = Array(repeating: [], count: classCount)  // by class index
        for index in 0..<students {
            let classIndex = index / SampleGenerator.classSize
            let pupil = try addUser("ELV", birthYear: 2010...2014, classID: Int64(classIndex + 1))
            pupilsOf[classIndex].append(pupil)
            if random.chance(0.8) { _ = try addUser("TUT", birthYear: 1970...1990) }
        }

        // Classes, memberships, the teacher of each subject in each class.
        let groups = try inserter("sacoche_groupe")
        let members = try inserter("sacoche_jointure_user_groupe")
        let teaching = try inserter("sacoche_jointure_user_matiere")
        func teacher(subject: Int, classIndex: Int) -> Int64 {
            teachers[(subject * max(1, (classCount + 3) / 4) + classIndex / 4) % teachers.count]
        }
        for (index, id) in teachers.enumerated() {
            try teaching.insert([.integer(id), .integer(Int64(index % Self.subjects.count + 1)), .integer(0)])
        }
        for classIndex in 0..<classCount {
            let level = classIndex % Self.levels.count
            let letter = Character(UnicodeScalar(UInt8(65 + (classIndex / Self.levels.count) % 26)))
            let groupID = Int64(classIndex + 1)
            try groups.insert([
                .integer(groupID), .text("classe"), .text("\(Self.levels[level].ref)\(letter)"),
                .text("\(FrenchNames.levels[level]) \(letter)"), .integer(Int64(level + 1)),
            ])
            for pupil in pupilsOf[classIndex] { try members.insert([.integer(pupil), .integer(groupID), .integer(0)]) }
            var seen = Set<Int64>()
            for subject in 0..<Self.subjects.count
            where seen.insert(teacher(subject: subject, classIndex: classIndex)).inserted {
                try members.insert([
                    .integer(teacher(subject: subject, classIndex: classIndex)), .integer(groupID),
                    .integer(subject == 0 ? 1 : 0),
                ])
            }
        }

        // Three terms for every class.
        let terms = try inserter("sacoche_periode")
        let classTerms = try inserter("sacoche_jointure_groupe_periode")
        let bounds = [("2025-09-01", "2025-11-30"), ("2025-12-01", "2026-03-15"), ("2026-03-16", "2026-07-04")]
        for term in 1...3 {
            try terms.insert([
                .integer(Int64(term)), .integer(Int64(term)), .text("Trimestre \(term)"), .integer(Int64(term + 20)),
            ])
        }
        for classIndex in 0..<classCount {
            for term in 1...3 {
                try classTerms.insert([
                    .integer(Int64(classIndex + 1)), .integer(Int64(term)), .text(bounds[term - 1].0),
                    .text(bounds[term - 1].1),
                ])
            }
        }

        // A framework per subject and level: one domain, two themes, three items each.
        let frameworks = try inserter("sacoche_referentiel")
        let domains = try inserter("sacoche_referentiel_domaine")
        let themes = try inserter("sacoche_referentiel_theme")
        let items = try inserter("sacoche_referentiel_item")
        var itemsOf: [Int: [Int64]] = [:]  // by subject * 10 + level
        var domainID: Int64 = 0
        var themeID: Int64 = 0
        var itemID: Int64 = 0
        for subject in 0..<Self.subjects.count {
            for level in 0..<Self.levels.count {
                try frameworks.insert([
                    .integer(Int64(subject + 1)), .integer(Int64(level + 1)), .text("non"), .text("2025-08-28"),
                ])
                domainID += 1
                try domains.insert([
                    .integer(domainID), .integer(Int64(subject + 1)), .integer(Int64(level + 1)), .integer(1),
                    .text("A"),
                    .text("D1"),
                    .text("\(Self.subjects[subject].name) — compétences de \(Self.levels[level].name.lowercased())"),
                ])
                for theme in 1...2 {
                    themeID += 1
                    try themes.insert([
                        .integer(themeID), .integer(domainID), .integer(Int64(theme)), .text("T\(theme)"),
                        .text(theme == 1 ? "Connaître et comprendre" : "Pratiquer et s'exprimer"),
                    ])
                    for item in 0..<3 {
                        itemID += 1
                        try items.insert([
                            .integer(itemID), .integer(themeID), .integer(Int64(item)), .text("\(item + 1)"),
                            .text(random.pick(FrenchNames.reportSentences).prefix(250).description),
                            .text("Item \(theme).\(item + 1)"),
                            .integer(1), .text(""),
                        ])
                        itemsOf[subject * 10 + level, default: []].append(itemID)
                    }
                }
            }
        }

        // Assessments and grades: the big table.
        let assessments = try inserter("sacoche_devoir")
        let assessed = try inserter("sacoche_jointure_devoir_item")
        let rights = try inserter("sacoche_jointure_devoir_prof")
        let grades = try inserter("sacoche_saisie")
        var devoirID: Int64 = 0
        var row: [SQLValue] = Array(repeating: .null, count: 8)
        for classIndex in 0..<classCount {
            let level = classIndex % Self.levels.count
            let classPupils = pupilsOf[classIndex]
            for subject in 0..<SampleGenerator.subjectsPerClass {
                let prof = teacher(subject: subject, classIndex: classIndex)
                let available = itemsOf[subject * 10 + level] ?? []
                for number in 1...SampleGenerator.assessmentsPerSubject {
                    devoirID += 1
                    let date = String(format: "2025-%02d-%02d", [9, 10, 11, 12][number % 4], random.int(1...28))
                    let info = "Évaluation \(number) — \(Self.subjects[subject].name)"
                    try assessments.insert([
                        .integer(devoirID), .integer(prof), .integer(Int64(classIndex + 1)), .text(date),
                        .text(String(info.prefix(60))), .text(date),
                    ])
                    try rights.insert([.integer(devoirID), .integer(prof), .text("modifier")])
                    let chosen = Array(available.prefix(SampleGenerator.itemsPerAssessment))
                    for (order, item) in chosen.enumerated() {
                        try assessed.insert([.integer(devoirID), .integer(item), .integer(Int64(order))])
                    }
                    for pupil in classPupils {
                        for item in chosen {
                            row[0] = .integer(prof)
                            row[1] = .integer(pupil)
                            row[2] = .integer(devoirID)
                            row[3] = .integer(item)
                            row[4] = .text(date)
                            row[5] = .text(random.pick(Self.notes))
                            row[6] = .text(String(info.prefix(100)))
                            row[7] = .text(date)
                            try grades.insert(row)
                        }
                    }
                }
            }
        }

        let messages = try inserter("sacoche_message")
        for id in 1...max(2, students / 100) {
            try messages.insert([
                .integer(Int64(id)), .integer(1), .text("2026-01-05"), .text("2026-01-30"),
                .text(
                    "Réunion parents-professeurs le \(random.int(10...28)) janvier à 17 h 30 : « venez nombreux ».\nLa direction."
                ),
                .text(""),
            ])
        }
    }
}
