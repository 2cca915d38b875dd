import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What an import will do with one CSV row.
public struct PlannedEstablishment: Sendable {
    public var row: ManifestRow
    public var establishment: BundleManifest.Establishment
    /// The registry row to create; `baseID` is the planned id (final once claimed).
    public var structure: Structure
    /// The operator chose the id (`Id_Import`); otherwise the registry picks a free one.
    public var explicitID: Bool
    /// Imported already by an earlier, unfinished run of the same bundle: skipped.
    public var alreadyImported: Structure?
    /// Migrations that bring the dump's schema version up to this hosting's.
    public var migrations: [ApplicationProfile.Migration]
    /// Facts the result will show (an older schema version the application upgrades itself…).
    public var notes: [String] = []
}

/// The validated import: every row's fate, or every problem found.
public struct ImportPlan {
    public var csv: ReadManifest?
    public var bundle: BundleManifest?
    /// What reads the bundle's ZIP, whichever its format.
    public var source: (any BundleSource)?
    /// The bundle's base name (`bases_dump_…`), recorded in the journal.
    public var bundleName: String
    public var establishments: [PlannedEstablishment] = []
    public var problems: [Problem] = []
    /// An earlier run of this bundle was left unfinished: what it imported is skipped.
    public var resumes = false
    /// What this hosting lacks for the bundle, in one sentence (the rows' problems say where).
    public var prerequisites: String?

    public var isValid: Bool { problems.isEmpty && prerequisites == nil }
}

/// Validates an edited CSV and its ZIP against a target hosting — every row, every rule, every problem in
/// one pass — and plans the ids. Nothing is written.
///
/// Rules, per row: required fields present; `Id_Zone` exists here; UAI (when given) valid, unique in the
/// file and not hosted here; e-mail well-formed; `Date_Inscription` a real date; `Nom_fichier` in the ZIP;
/// `Id_Import` (when given) a positive integer, unique in the file and free here; the GUID not hosted here
/// (unless `asCopy`); the dump's schema version not newer than this hosting's. And the bundle verifies.
/// With `mailDomains`, also: the e-mail's domain accepts mail (``MailDomainCheck``).
public struct ImportPlanner {
    public let hosting: Hosting
    /// Give each establishment a new GUID (a copy, not a move).
    public var asCopy = false
    /// Also read every entry and check its checksums now (a dry run); an import checks them while it
    /// restores.
    public var readContents = false
    /// Ask DNS whether each contact e-mail's domain accepts mail; `nil`: no DNS question at all.
    public var mailDomains: (any MailDomainResolver)?
    /// A SACoche bundle's digests recorded by `verify --digests`, proved unchanged before anything is written.
    public var sacocheDigests: SACocheDigests?

    public init(
        hosting: Hosting, asCopy: Bool = false, readContents: Bool = false, mailDomains: (any MailDomainResolver)? = nil
    ) {
        self.hosting = hosting
        self.asCopy = asCopy
        self.readContents = readContents
        self.mailDomains = mailDomains
    }

    static let requiredColumns = [
        "Id_Zone", "Localisation", "Dénomination", "Contact_Nom", "Contact_Prénom",
        "Contact_Courriel", "Date_Inscription", "Nom_fichier",
    ]

    /// - Parameter resumes: an earlier run of this bundle was left unfinished (see
    ///   ``Registry/startImportRun(bundle:)``): establishments it imported are skipped, not refused.
    public func plan(csv: URL, zip: URL, resumes: Bool) throws -> ImportPlan {
        var plan = ImportPlan(bundleName: zip.deletingPathExtension().lastPathComponent, resumes: resumes)
        // The verifier's own checks: the CSV reads, the ZIP is safe, its manifest readable, nothing unreferenced.
        let opened = OpenedBundle.open(csv: csv, zip: zip, sacocheDigests: sacocheDigests)
        plan.problems += opened.problems
        plan.csv = opened.csv
        plan.bundle = opened.manifest
        plan.source = opened.source
        guard let manifest = opened.csv, let source = opened.source else { return plan }
        let bundle = source.manifest
        let byName = Dictionary(
            bundle.establishments.map { ($0.nomFichier, $0) }, uniquingKeysWith: { first, _ in first })
        if source.kind == .sacoche && hosting.profile.schemaVersion.table != SACocheNames.parameterTable {
            // Its version_base and tables mean nothing to another application's profile.
            plan.problems.append(
                Problem.importRow(
                    code: .importWrongApplication, file: zip.path, line: nil, column: nil, value: nil,
                    message:
                        "this is a SACoche bundle, and this hosting's application is \(hosting.profile.name): import it into a hosting created with SACoche's profile (transfert init --profile Samples/sacoche-profile.yaml)"
                ))
            return plan
        }

        if bundle.options.isAnonymised && !asCopy {
            // Its people are pseudonyms: it is a copy to work on, never the establishment itself.
            plan.problems.append(
                Problem.importRow(
                    code: .contentAnonymised, file: zip.path, line: nil, column: nil, value: nil,
                    message:
                        "this bundle is an anonymised copy (export --anonymise): its names, e-mails and logins are pseudonyms, so it cannot replace the establishment. Import it as a copy with --as-copy"
                ))
        }
        // What must exist here before any data: one message listing all of it, first.
        plan.prerequisites = try ImportPrerequisites(hosting: hosting).missing(
            for: bundle, kind: source.kind, rows: manifest.rows, byName: byName)
        var context = try RowContext(hosting: hosting, bundleName: plan.bundleName, rows: manifest.rows)
        let ownFingerprint = try hosting.registry.fingerprint()
        context.bundleIsOurs = !bundle.source.fingerprint.isEmpty && bundle.source.fingerprint == ownFingerprint
        var domainCheck = mailDomains.map { MailDomainCheck(resolver: $0) }
        for row in manifest.rows {
            var problems: [Problem] = []
            let named = byName[row["Nom_fichier"]]?.nomFichier
            func coded(_ code: ProblemCode?, _ column: String?, _ message: String) {
                problems.append(
                    Problem.importRow(
                        code: code ?? (column == nil ? .importInvalid : .csvInvalidValue), file: csv.path,
                        line: row.line, column: column, value: column.map { row[$0] }, establishment: named,
                        message: message))
            }
            // The rules' own reporter: a column's problem is `csv.invalid_value`, the row's `import.invalid`.
            func problem(_ column: String?, _ message: String) { coded(nil, column, message) }
            // The rules `structure add` obeys (``StructureRules``), in the CSV's words.
            func broken(_ column: String, _ violation: StructureRuleViolation?) {
                guard let violation else { return }
                coded(violation.code(for: .csvRow), column, violation.message(for: .csvRow))
            }
            for column in Self.requiredColumns {
                guard let violation = context.rules.required(row[column]).1 else { continue }
                problems.append(
                    Problem.importRow(
                        code: violation.code(for: .csvRow), file: csv.path, line: row.line, column: column, value: nil,
                        establishment: named, message: violation.message(for: .csvRow)))
            }
            // A row whose dump is missing is still checked against every other rule: all problems at once.
            let establishment = context.establishment(for: row, in: byName, problem: problem)
            var guid = RowContext.GUIDDecision()
            if let establishment {
                // The verifier's checks of this row: the CSV agrees with the manifest, the entries are there
                // (and, for a dry run, match their checksums; an import checks them while restoring).
                for mismatch in RowMismatch.between(row, establishment, csv: manifest) {
                    coded(.csvMismatch, mismatch.column, mismatch.message)
                }
                for content in source.contentProblems(of: establishment, readContents: readContents) {
                    coded(content.code, nil, content.message)
                }
                guid = try context.guid(
                    for: row, establishment: establishment, asCopy: asCopy, resumes: resumes, problem: problem)
                if guid.importedEarlier != nil {
                    plan.problems += problems
                    continue
                }
                if let existing = guid.alreadyImported {
                    plan.establishments.append(
                        PlannedEstablishment(
                            row: row, establishment: establishment, structure: existing,
                            explicitID: true, alreadyImported: existing, migrations: []))
                    continue
                }
            }
            let zone = Int64(row["Id_Zone"])
            if !row["Id_Zone"].isEmpty {
                if let zone, zone > 0 {
                    broken("Id_Zone", try context.rules.zone(zone))
                } else {
                    problem("Id_Zone", "is not a zone id (a positive integer)")
                }
            }
            let uai = try context.uai(for: row, problem: problem)
            var email: EmailAddress?
            if !row["Contact_Courriel"].isEmpty {
                switch context.rules.email(row["Contact_Courriel"]) {
                case .success(let valid): email = valid
                case .failure(let violation): broken("Contact_Courriel", violation)
                }
            }
            if let email, let message = domainCheck?.problem(for: email) { problem("Contact_Courriel", message) }
            var date: CalendarDate?
            if !row["Date_Inscription"].isEmpty {
                do { date = try CalendarDate(parsing: row["Date_Inscription"]) } catch {
                    problem("Date_Inscription", error.description)
                }
            }
            let explicitID = try context.explicitID(for: row, problem: problem)
            let migrations = establishment.flatMap { hosting.profile.upgradePath(from: $0.schemaVersion) }
            var notes: [String] = []
            let current = hosting.profile.schemaVersion.current
            if let establishment, migrations != nil,
                hosting.profile.migrationPath(from: establishment.schemaVersion) == nil
            {
                // The application upgrades an older database itself on first access (SACoche does).
                notes.append(
                    "schema version \(establishment.schemaVersion) is older than this server's \(current): imported as it is; \(hosting.profile.name) upgrades it on first access"
                )
            }
            // A dump whose version could not be read is already refused for that reason.
            if let establishment, migrations == nil, !establishment.schemaVersion.isEmpty || source.kind == .transfert {
                let current = hosting.profile.schemaVersion.current
                let newer = establishment.schemaVersion > current
                coded(
                    .importSchemaVersion, nil,
                    "the dump \(establishment.nomFichier) has schema version \(establishment.schemaVersion), "
                        + (newer
                            ? "newer than this server's \(current): upgrade the application on this server to \(establishment.schemaVersion) first"
                            : "for which the application profile has no migration to \(current): add one to its migrations")
                )
            }
            plan.problems += problems
            guard problems.isEmpty, let establishment, let zone, let email, let date, let guidValue = guid.value else {
                continue
            }
            let structure = Structure(
                baseID: explicitID ?? 0, guid: guidValue, zoneID: zone, uai: uai, localisation: row["Localisation"],
                denomination: row["Dénomination"], contactNom: row["Contact_Nom"], contactPrenom: row["Contact_Prénom"],
                contactCourriel: email, inscriptionDate: date)
            plan.establishments.append(
                PlannedEstablishment(
                    row: row, establishment: establishment, structure: structure,
                    explicitID: explicitID != nil, migrations: migrations ?? [], notes: notes))
        }
        if manifest.rows.isEmpty {
            plan.problems.append(
                Problem.importRow(
                    code: .csvEmpty, file: csv.path, line: nil, column: nil, value: nil,
                    message: "the CSV has no establishment row: nothing to import"))
        }
        if plan.isValid { try assignPlannedIDs(&plan, reserved: context.explicitIDs) }
        return plan
    }

    /// What the registry would choose now for the rows without `Id_Import` (shown by a dry run; the
    /// import claims ids again atomically).
    private func assignPlannedIDs(_ plan: inout ImportPlan, reserved: Set<Int64>) throws {
        let blank = plan.establishments.indices.filter {
            plan.establishments[$0].alreadyImported == nil && !plan.establishments[$0].explicitID
        }
        for (index, id) in zip(blank, try hosting.freeIDs(count: blank.count, reserved: reserved)) {
            plan.establishments[index].structure.baseID = id
        }
    }

}

/// Checks that need the whole file (uniqueness) or the target registry, row by row.
private struct RowContext {
    let hosting: Hosting
    let bundleName: String
    var uaiLines: [String: Int] = [:]
    var idLines: [Int64: Int] = [:]
    var guidLines: [String: Int] = [:]
    var nomFichierLines: [String: Int] = [:]
    /// Every `Id_Import` the file asks for: never handed to a blank row.
    var explicitIDs: Set<Int64>
    /// The bundle was exported by this hosting (its source fingerprint is ours).
    var bundleIsOurs = false
    /// Read once per plan, not once per row: the moves away from this hosting (an old bundle's GUID), and
    /// the rules `structure add` obeys with what its id rule reads.
    let moves: [ConfirmedMove]
    let rules: StructureRules

    init(hosting: Hosting, bundleName: String, rows: [ManifestRow]) throws {
        self.hosting = hosting
        self.bundleName = bundleName
        explicitIDs = Set(rows.compactMap { Int64($0["Id_Import"]) }.filter { $0 > 0 })
        moves = try hosting.registry.moves()
        rules = try StructureRules(hosting: hosting).readingIDFactsOnce(moves: moves)
    }

    /// The manifest's establishment this row names, if the ZIP has it and no earlier row named it.
    mutating func establishment(
        for row: ManifestRow, in byName: [String: BundleManifest.Establishment],
        problem: (String?, String) -> Void
    ) -> BundleManifest.Establishment? {
        let name = row["Nom_fichier"]
        guard !name.isEmpty else { return nil }  // reported as required
        if let first = nomFichierLines[name] {
            problem("Nom_fichier", "the same dump is already imported by line \(first)")
            return nil
        }
        nomFichierLines[name] = row.line
        guard let establishment = byName[name] else {
            problem("Nom_fichier", "the dump \(name) is not in the ZIP (its manifest does not list it)")
            return nil
        }
        return establishment
    }

    struct GUIDDecision {
        var value: UUID?
        var alreadyImported: Structure?
        /// Imported by an earlier, finished run of the same bundle: the row's other checks would only
        /// repeat that it is here.
        var importedEarlier: Structure?
    }

    mutating func guid(
        for row: ManifestRow, establishment: BundleManifest.Establishment, asCopy: Bool, resumes: Bool,
        problem: (String?, String) -> Void
    ) throws -> GUIDDecision {
        if asCopy { return GUIDDecision(value: UUID()) }
        let text = row["GUID"].isEmpty ? establishment.guid : row["GUID"]
        guard let guid = UUID(uuidString: text) else {
            problem("GUID", "is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)")
            return GUIDDecision()
        }
        let key = guid.uuidString.lowercased()
        if let first = guidLines[key] {
            problem("GUID", "the same establishment is already on line \(first)")
            return GUIDDecision()
        }
        guidLines[key] = row.line
        // Our own old bundle of an establishment that moved away is refused; a bundle from the server it went
        // to (or any other) brings it back, a return move.
        if bundleIsOurs, let move = moves.last(where: { $0.guid == key }) {
            problem(
                "GUID",
                "this establishment left this server for \(move.targetServer) (id \(move.newID) there, move confirmed \(move.confirmedAt)): "
                    + "its GUID lives there now, and this is its old bundle. Import it as a copy with --as-copy, which gives it a new GUID"
            )
            return GUIDDecision()
        }
        if let existing = try hosting.registry.structure(guid: guid) {
            let importedFromThisBundle = try hosting.registry.journal(guid: key).contains {
                $0.event == .imported && $0.baseID == existing.baseID && $0.bundle == bundleName
            }
            if resumes && importedFromThisBundle && existing.status == .active {
                return GUIDDecision(value: guid, alreadyImported: existing)
            }
            if importedFromThisBundle && existing.status == .active {
                // An earlier run of this very bundle finished this one (perhaps killed just before it
                // could say so): refused, saying that there is nothing left to do for it.
                problem(
                    "GUID",
                    "was already imported from this bundle, as establishment \(existing.baseID) (\(existing.displayName)): nothing to do for it. "
                        + "Its import is in the journal (transfert journal --guid \(key)); remove the row to import the others, or import it again as a copy with --as-copy"
                )
                return GUIDDecision(importedEarlier: existing)
            }
            problem(
                "GUID",
                "this establishment is already hosted here (establishment \(existing.baseID), \(existing.displayName)): "
                    + "it was imported before. Remove its row from the CSV, or import it as a copy with --as-copy")
            return GUIDDecision()
        }
        return GUIDDecision(value: guid)
    }

    mutating func uai(for row: ManifestRow, problem: (String?, String) -> Void) throws -> UAI? {
        let text = row["UAI"]
        guard !text.isEmpty else { return nil }
        let uai: UAI
        switch rules.uai(text) {
        case .success(let valid): uai = valid
        case .failure(let violation):
            problem("UAI", violation.message(for: .csvRow))
            return nil
        }
        if let first = uaiLines[uai.rawValue] {
            problem("UAI", "is also on line \(first): an establishment code is unique")
        } else if let violation = try rules.uaiIsFree(uai) {
            problem("UAI", violation.message(for: .csvRow))
        }
        uaiLines[uai.rawValue] = uaiLines[uai.rawValue] ?? row.line
        return uai
    }

    mutating func explicitID(for row: ManifestRow, problem: (String?, String) -> Void) throws -> Int64? {
        let text = row["Id_Import"]
        guard !text.isEmpty else { return nil }
        // Text that is no integer at all is the CSV's own case; the sentence is the rule's.
        guard let id = Int64(text), id > 0 else {
            problem("Id_Import", StructureRuleViolation.idNotPositive(Int64(text) ?? 0).message(for: .csvRow))
            return nil
        }
        if let first = idLines[id] {
            problem("Id_Import", "is also asked for on line \(first): each establishment needs its own id")
            return nil
        }
        idLines[id] = row.line
        if let violation = try rules.baseID(id) {
            problem("Id_Import", violation.message(for: .csvRow))
            return nil
        }
        return id
    }
}
