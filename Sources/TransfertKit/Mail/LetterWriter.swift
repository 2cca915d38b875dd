import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// A letter composed for one establishment, not yet in the outbox.
public struct PreparedLetter: Sendable {
    public var structure: Structure
    public var kind: OutboxMessage.Kind
    public var message: MailMessage
}

/// Composes notification letters and newsletters for hosted establishments and puts them in the outbox.
///
/// Every letter is composed before any is written: a template or selection problem writes nothing.
///
/// ```swift
/// let writer = LetterWriter(hosting: hosting)
/// let letters = try writer.letters(for: try writer.structures(ids: [12, 13]), template: .named("fr"))
/// for written in try writer.write(letters) { print(written.message.file) }
/// ```
public struct LetterWriter {
    public let hosting: Hosting

    public init(hosting: Hosting) {
        self.hosting = hosting
    }

    /// The establishments with these ids, in the order given; every unknown id is named at once.
    public func structures(ids: [Int64]) throws -> [Structure] {
        var found: [Structure] = []
        var problems: [Problem] = []
        for id in ids {
            guard let structure = try hosting.registry.structure(baseID: id) else {
                problems.append(
                    Problem(
                        code: .letterSelectionUnknownEstablishment,
                        message:
                            "no establishment has id \(id) on this hosting (`transfert structure list` shows them)",
                        location: ProblemLocation(baseID: id)))
                continue
            }
            guard structure.status == .active else {
                problems.append(
                    Problem(
                        code: .letterSelectionImporting,
                        message:
                            "establishment \(id) is still being imported: finish the import (or run `transfert doctor`) first",
                        location: ProblemLocation(baseID: id)))
                continue
            }
            if let problem = try anonymisedCopyProblem(structure, location: ProblemLocation(baseID: id)) {
                problems.append(problem)
                continue
            }
            found.append(structure)
        }
        guard problems.isEmpty else { throw LetterSelectionError(file: nil, problems: problems) }
        return found
    }

    /// Why `structure` gets no letter when it was imported from an anonymised copy (its import's journal
    /// line says so): its contact is a pseudonym under a reserved domain, and the copy is not the
    /// establishment its users know.
    func anonymisedCopyProblem(_ structure: Structure, location: ProblemLocation) throws -> Problem? {
        guard let imported = try LetterVariables.importEntry(of: structure, in: hosting.registry),
            (imported.details ?? "").contains(JournalEntry.anonymisedCopyNote)
        else { return nil }
        return Problem(
            code: .contentAnonymised,
            message:
                "establishment \(structure.baseID) (\(structure.displayName)) was imported from an anonymised copy: its contact and users are pseudonyms, so no letter is written for it",
            location: location)
    }

    /// Every active establishment a newsletter goes to, and the sentences naming those it leaves out: the
    /// ones imported from an anonymised copy (their contact is a pseudonym under a reserved domain).
    public func newsletterRecipients() throws -> (structures: [Structure], skipped: [String]) {
        var found: [Structure] = []
        var skipped: [String] = []
        for structure in try hosting.registry.structures() where structure.status == .active {
            if let problem = try anonymisedCopyProblem(structure, location: ProblemLocation(baseID: structure.baseID)) {
                skipped.append(problem.message)
            } else {
                found.append(structure)
            }
        }
        return (found, skipped)
    }

    /// The establishments an import result (`<bundle>.result.csv`) says were imported, checked against this
    /// hosting's registry by id and GUID. Rows with another outcome are skipped (returned, to be shown).
    public func structures(result url: URL) throws -> (structures: [Structure], skipped: [String]) {
        let rows = try ImportResultReader.read(contentsOf: url)
        var found: [Structure] = []
        var skipped: [String] = []
        var problems: [Problem] = []
        for row in rows {
            guard row.outcome == ImportOutcome.Kind.imported.rawValue else {
                skipped.append(
                    "line \(row.line) (\(row.name)): outcome \(row.outcome.isEmpty ? "empty" : row.outcome), no letter")
                continue
            }
            guard let id = Int64(row.newID), id > 0 else {
                problems.append(
                    Problem(
                        code: .letterSelectionInvalidID,
                        message: "line \(row.line): Id_Import '\(row.newID)' is not an establishment id",
                        location: ProblemLocation(file: url.path, line: row.line, field: "Id_Import", value: row.newID))
                )
                continue
            }
            guard let structure = try hosting.registry.structure(baseID: id) else {
                problems.append(
                    Problem(
                        code: .letterSelectionUnknownEstablishment,
                        message:
                            "line \(row.line): no establishment has id \(id) here: run letters on the hosting that imported it (--hosting DIR)",
                        location: ProblemLocation(
                            file: url.path, line: row.line, field: "Id_Import", value: row.newID, baseID: id)))
                continue
            }
            let guid = structure.guid.uuidString.lowercased()
            if !row.guid.isEmpty && row.guid.lowercased() != guid {
                problems.append(
                    Problem(
                        code: .letterSelectionOtherEstablishment,
                        message:
                            "line \(row.line): establishment \(id) here is \(structure.displayName) (GUID \(guid)), not the result's GUID \(row.guid): run letters on the hosting that imported it (--hosting DIR)",
                        location: ProblemLocation(
                            file: url.path, line: row.line, field: "GUID", value: row.guid, baseID: id)))
                continue
            }
            if let problem = try anonymisedCopyProblem(
                structure,
                location: ProblemLocation(
                    file: url.path, line: row.line, field: "Id_Import", value: row.newID, baseID: id))
            {
                problems.append(problem)
                continue
            }
            found.append(structure)
        }
        guard problems.isEmpty else { throw LetterSelectionError(file: url.path, problems: problems) }
        return (found, skipped)
    }

    /// One notification letter per establishment, from `template`.
    public func letters(for structures: [Structure], template: LetterTemplate, now: Date = Date()) throws
        -> [PreparedLetter]
    {
        try letters(for: structures, templates: { _ in template }, now: now)
    }

    /// One notification letter per establishment, each from the template `templates` gives it (the
    /// built-in of its own language: ``templatesInOwnLanguage()``).
    public func letters(
        for structures: [Structure], templates: (Structure) throws -> LetterTemplate,
        now: Date = Date()
    ) throws -> [PreparedLetter] {
        var groups: [(template: LetterTemplate, structures: [Structure])] = []
        for structure in structures {
            let template = try templates(structure)
            if let index = groups.firstIndex(where: { $0.template.name == template.name }) {
                groups[index].structures.append(structure)
            } else {
                groups.append((template, [structure]))
            }
        }
        var byID: [Int64: PreparedLetter] = [:]
        for group in groups {
            for letter in try letters(group.structures, template: group.template, now: now) {
                byID[letter.structure.baseID] = letter
            }
        }
        return structures.compactMap { byID[$0.baseID] }
    }

    /// The built-in letter of each establishment's own language (`structure language`), else of the
    /// hosting's: what `letters` and `import --notify` use without `--template`. With `family`
    /// (`maintenance-warning`), that letter in each one's language (`maintenance-warning-en`…).
    public func templatesInOwnLanguage(of family: String? = nil) throws -> (Structure) throws -> LetterTemplate {
        let languages = try hosting.registry.letterLanguages()
        let hostingLanguage = hosting.configuration.userLanguage
        var made: [String: LetterTemplate] = [:]
        return { structure in
            let language = languages[structure.baseID] ?? hostingLanguage
            let name = family.map { "\($0)-\(language)" } ?? language
            if let template = made[name] { return template }
            let template = try LetterTemplate.named(name)
            made[name] = template
            return template
        }
    }

    /// Whether `name` is a built-in letter that exists in every language (`maintenance-warning`).
    public static func isLanguageFamily(_ name: String) -> Bool { BuiltInLetterTemplates.families.contains(name) }

    /// The language of each establishment's letters when nothing else is said: its own, else the hosting's.
    public func ownLanguages(of structures: [Structure]) throws -> [Int64: String] {
        let languages = try hosting.registry.letterLanguages()
        return Dictionary(
            structures.map { ($0.baseID, languages[$0.baseID] ?? hosting.configuration.userLanguage) },
            uniquingKeysWith: { first, _ in first })
    }

    private func letters(_ structures: [Structure], template: LetterTemplate, now: Date) throws -> [PreparedLetter] {
        let maintenance = try maintenanceValues(for: structures, template: template, now: now)
        return try structures.map { structure in
            let variables = try LetterVariables(
                structure: structure, registry: hosting.registry, configuration: hosting.configuration,
                filesDirectory: hosting.filesDirectory(baseID: structure.baseID), today: now)
            var values = variables.values.merging(maintenance[structure.baseID] ?? [:]) { _, window in window }
            // Dates as the reader writes them: "25 novembre 2026", "25 November 2026".
            let language = template.language ?? hosting.configuration.userLanguage
            values["date"] = LetterDate.long(now, language: language, timeZone: hosting.configuration.timeZone)
            if let day = variables.movedOnDay {
                values["moved_on"] = LetterDate.long(day, language: language, timeZone: hosting.configuration.timeZone)
            }
            return PreparedLetter(
                structure: structure, kind: maintenance.isEmpty ? .letter : .maintenance,
                message: envelope(template.render(values), to: structure, date: now))
        }
    }

    /// The `maintenance_…` values of each establishment's next open window, when `template` uses them;
    /// an establishment without one is refused (the letter would announce nothing).
    private func maintenanceValues(for structures: [Structure], template: LetterTemplate, now: Date) throws -> [Int64:
        [String: Any]]
    {
        guard template.variables.contains(where: { $0.hasPrefix("maintenance_") }) else { return [:] }
        let windows = try hosting.registry.maintenanceWindows().filter { $0.isOpen(at: now) }.sorted {
            $0.start < $1.start
        }
        let time = MaintenanceTime(timeZone: hosting.configuration.timeZone)
        let messages = MaintenanceMessages(language: template.language ?? hosting.configuration.userLanguage)
        var values: [Int64: [String: Any]] = [:]
        var problems: [Problem] = []
        for structure in structures {
            guard let window = windows.first(where: { $0.covers(baseID: structure.baseID) }) else {
                problems.append(
                    Problem(
                        code: .letterSelectionNoWindow,
                        message:
                            "establishment \(structure.baseID) has no planned maintenance window, and template \(template.name) announces one: plan it first with `transfert maintenance plan --ids \(structure.baseID) --start \"…\" --duration 45m`",
                        location: ProblemLocation(baseID: structure.baseID)))
                continue
            }
            var entry: [String: Any] = [
                "maintenance_number": String(window.number ?? 0), "maintenance_type": window.type.rawValue,
                "maintenance_database": window.type == .database,
                "maintenance_start_date": time.day(window.start), "maintenance_start_time": time.clock(window.start),
                "maintenance_end_date": time.day(window.end), "maintenance_end_time": time.clock(window.end),
                // A window already in progress is told in the present: "est actuellement en cours".
                "maintenance_warning": messages.text(
                    window.state(at: now) == .planned ? .warning : .during, for: window,
                    application: hosting.profile.name, time: time,
                    disconnectAfter: hosting.configuration.disconnectDelay),
            ]
            if let message = window.message { entry["maintenance_message"] = message }
            values[structure.baseID] = entry
        }
        guard problems.isEmpty else { throw LetterSelectionError(file: nil, problems: problems) }
        return values
    }

    /// One newsletter per establishment: the text framed by a greeting and a footer (signature, the
    /// establishment's access URL, the project's site) in `language`.
    /// With `language` nil, each establishment's frame is in its own language, else the hosting's.
    public func newsletters(
        for structures: [Structure], subject: String, text: String, language: String? = nil,
        now: Date = Date()
    ) throws -> [PreparedLetter] {
        let languages = try ownLanguages(of: structures)
        var frames: [String: LetterTemplate] = [:]
        let text = MailText.lines(text).joined(separator: "\n").trimmingCharacters(in: .newlines)
        return try structures.map { structure in
            let chosen = language ?? languages[structure.baseID, default: hosting.configuration.userLanguage]
            let frame = try frames[chosen] ?? LetterTemplate.newsletter(language: chosen)
            frames[chosen] = frame
            var values = try LetterVariables(
                structure: structure, registry: hosting.registry, configuration: hosting.configuration,
                filesDirectory: hosting.filesDirectory(baseID: structure.baseID), today: now
            ).values
            values["subject"] = MailText.singleLine(subject)
            values["message"] = text
            return PreparedLetter(
                structure: structure, kind: .newsletter,
                message: envelope(frame.render(values), to: structure, date: now))
        }
    }

    /// Writes the letters to the outbox, in order (each one flushed to disk, so hundreds take a while:
    /// `work` counts them).
    public func write(_ letters: [PreparedLetter], now: Date = Date(), work: WorkProgress? = nil) throws -> [Outbox
        .Written]
    {
        let outbox = Outbox(in: hosting.directory, registry: hosting.registry)
        work?.begin(items: letters.count)
        return try letters.map { letter in
            let item = work?.startItem(letter.structure.displayName)
            defer { item?.finish() }
            return try outbox.add(letter.message, kind: letter.kind, structure: letter.structure, now: now)
        }
    }

    private func envelope(_ letter: RenderedLetter, to structure: Structure, date: Date) -> MailMessage {
        let webmaster = hosting.configuration.webmaster
        return MailMessage(
            from: Mailbox(name: webmaster.name, address: webmaster.email),
            to: Mailbox(
                name: "\(structure.contactPrenom) \(structure.contactNom)", address: structure.contactCourriel.rawValue),
            subject: letter.subject, body: letter.body, date: date, language: letter.language)
    }
}

/// The rows of an import result CSV (`<bundle>.result.csv`) that letters need.
public enum ImportResultReader {
    public struct Row: Equatable, Sendable {
        public var line: Int
        public var newID: String
        public var guid: String
        public var outcome: String
        /// "Localisation | Dénomination", for messages.
        public var name: String
    }

    static let required = ["Id_Import", "GUID", "Résultat"]

    /// Reads the file as `import` wrote it, or as a spreadsheet saved it back (UTF-8 or Windows-1252, `;`, `,`
    /// or tab), streaming and within ``CSVLimits`` like the manifest.
    public static func read(contentsOf url: URL) throws -> [Row] {
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw LetterSelectionError.unreadableResult(
                url.path,
                FileManager.default.fileExists(atPath: url.path)
                    ? "cannot be read (permission denied)"
                    : "no such file: give the .result.csv an import wrote (next to its ZIP, or its --result FILE)")
        }
        let columns = ImportReport.resultColumns
        let reader = CSVTableReader(columns: columns, file: url.path)
        let table: CSVTableReader.Table
        do {
            table = try reader.read(.file(url)) { header in
                let missing = required.filter { header.columnIndex[$0] == nil }
                guard missing.isEmpty else {
                    throw header.columnIndex.isEmpty
                        ? LetterSelectionError.unreadableResult(
                            url.path,
                            "this is not an import result: its first line must be \(columns.joined(separator: ";"))")
                        : LetterSelectionError.unreadableResult(
                            url.path,
                            "line \(header.line): the header lacks \(missing.joined(separator: ", ")): give the .result.csv an import wrote, not the bundle's CSV",
                            line: header.line)
                }
            }
        } catch let error as LetterSelectionError {
            throw error
        } catch let error as CSVManifestError {
            throw LetterSelectionError.unreadableResult(
                url.path, (error.line.map { "line \($0): " } ?? "") + error.message, line: error.line)
        } catch let error as CSVSyntaxError {
            throw LetterSelectionError.unreadableResult(
                url.path, "line \(error.line), \(error.column): \(error.message)", line: error.line)
        }
        guard table.header != nil else {
            throw LetterSelectionError.unreadableResult(
                url.path, "this is not an import result: its first line must be \(columns.joined(separator: ";"))")
        }
        func slot(_ column: String) -> Int { columns.firstIndex(of: column)! }
        let id = slot("Id_Import")
        let guid = slot("GUID")
        let outcome = slot("Résultat")
        let place = slot("Localisation")
        let name = slot("Dénomination")
        return table.rows.map { row in
            // The cells `import` neutralised for spreadsheets (`'=…`) read back as they were.
            let values = row.values.map(SpreadsheetCell.restored)
            return Row(
                line: row.line, newID: values[id], guid: values[guid], outcome: values[outcome],
                name: [values[place], values[name]].filter { !$0.isEmpty }.joined(separator: " | "))
        }
    }
}

/// Establishments that cannot get a letter, every reason listed.
public struct LetterSelectionError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String?
    /// Every reason, each with its place (the result file's line, the establishment's id).
    public var problems: [Problem]

    public init(file: String?, problems: [Problem]) {
        self.file = file
        self.problems = problems
    }

    /// An import result file that cannot be read as one: a single problem at `file` (and `line`).
    static func unreadableResult(_ file: String, _ message: String, line: Int? = nil) -> LetterSelectionError {
        LetterSelectionError(
            file: file,
            problems: [
                Problem(
                    code: .letterSelectionUnreadableResult, message: message,
                    location: ProblemLocation(file: file, line: line))
            ])
    }

    public var description: String {
        let head =
            "no letter was written: \(problems.count) problem\(problems.count == 1 ? "" : "s")\(file.map { " in \($0)" } ?? "")"
        return problems.count == 1 && file != nil && !problems[0].message.hasPrefix("line")
            ? "no letter was written: \(file!): \(problems[0].message)"
            : head + ".\n" + problems.map { "  - \($0.message)" }.joined(separator: "\n")
    }
}

extension LetterSelectionError: ProblemListError {
    /// Written out case by case: renaming a Swift case must not change what scripts read.
    public var problemCode: ProblemCode { .letterSelectionInvalid }
}
