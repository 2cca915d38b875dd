import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What one export carries, decided once before anything is locked or written: the categories
/// (`--without`, `--only`), the pseudonyms (`--anonymise`, one key for the whole bundle), the format
/// version the manifest declares, and the CSV's contact as an anonymised copy shows it.
struct ExportContent: Sendable {
    /// `nil`: the profile declares no categories and nothing was asked — every table, as before.
    let resolved: ResolvedContent?
    let policy: DumpContentPolicy
    let pseudonymiser: Pseudonymiser?
    let anonymised: Bool
    let hasFilesCategory: Bool

    init(profile: ApplicationProfile, options: ExportOptions) throws {
        let model = profile.content
        let asked = !options.without.isEmpty || options.only != nil || options.anonymise
        if asked || !model.categories.isEmpty {
            resolved = try ContentSelector(model: model).resolve(
                schema: profile.databaseSchema, without: options.without, only: options.only,
                anonymise: options.anonymise)
        } else {
            resolved = nil
        }
        // Drawn here, kept in memory only: never written, never logged.
        pseudonymiser = options.anonymise ? Pseudonymiser() : nil
        policy = DumpContentPolicy(
            content: resolved, personalData: model.personalData, pseudonymiser: pseudonymiser,
            knownTables: Set(profile.databaseSchema.tables.map(\.name)))
        anonymised = options.anonymise
        hasFilesCategory = model.filesCategory != nil
    }

    /// The manifest's content record.
    var selection: ContentSelection? { resolved?.selection }

    /// An anonymised copy carries uploads only when the profile's files category says they hold no
    /// personal data; without such a category nobody said so, and they stay out.
    var carriesFiles: Bool {
        if anonymised && !hasFilesCategory { return false }
        return resolved?.carriesFiles ?? true
    }

    /// 3 for a partial or anonymised bundle (an older Transfert refuses it), 2 otherwise.
    var formatVersion: Int { BundleFormat.written(for: selection) }

    /// The CSV row, its contact replaced by pseudonyms in an anonymised copy: the contact is personal
    /// data too. The same pseudonyms as the same names get in the dumps.
    func csvRow(_ row: CSVManifest.Row) -> CSVManifest.Row {
        guard let pseudonymiser else { return row }
        var row = row
        func replaced(_ text: String, _ kind: PersonalDataKind) -> String {
            pseudonymiser.replacement(for: .text(text), kind: kind, maxLength: nil).textValue ?? ""
        }
        row.contactNom = replaced(row.contactNom, .lastName)
        row.contactPrenom = replaced(row.contactPrenom, .firstName)
        row.contactCourriel = replaced(row.contactCourriel, .email)
        return row
    }

    /// What the export's journal line says of the content (`nil`: nothing to say).
    func journalDetails(keptLocked: Bool) -> String? {
        var details: [String] = []
        if keptLocked { details.append("kept locked for a move") }
        if let selection {
            if !selection.leftOut.isEmpty {
                details.append("left out: \(selection.leftOut.map(\.category).joined(separator: ", "))")
            }
            if selection.anonymised { details.append("anonymised copy") }
        }
        return details.isEmpty ? nil : details.joined(separator: "; ")
    }
}
