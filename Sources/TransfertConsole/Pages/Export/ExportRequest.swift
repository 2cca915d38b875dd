import Foundation

/// What the export form asked, turned into the two commands of the export job: `export` into the job's
/// own files, then `verify` of the bundle it wrote. The console checks only what it must to build a safe
/// command line (the ids are numbers); which options go together is the command's to say, in its words
/// (`--format sacoche` with files, `--without` with `--only`…). Text the operator typed is always passed
/// as `--option=value`, so that nothing typed can become an option of its own.
struct ExportRequest: Sendable, Equatable {
    var ids: [Int64]
    var includeFiles: Bool
    var keepLocked: Bool
    var format: String
    var without: String?
    var only: String?
    var anonymise: Bool
    var note: String?
    var deepVerification: Bool

    /// Why the form could not become a command.
    enum Refusal: Error, Equatable {
        case noEstablishment
        case notAnID(String)
        case tooMany(Int)

        func sentence(_ language: ConsoleLanguage) -> String {
            switch self {
            case .noEstablishment:
                return language.text(
                    "Cochez au moins un établissement à exporter.", "Tick at least one establishment to export.")
            case .notAnID(let value):
                return language.text(
                    "« \(value) » n’est pas un numéro d’établissement : choisissez les établissements dans la liste.",
                    "“\(value)” is not an establishment id: choose the establishments in the list.")
            case .tooMany(let count):
                return language.text(
                    "\(count) établissements d’un coup, c’est plus que ce qu’une ligne de commande peut porter : exportez-les en plusieurs fois (par zone, par exemple).",
                    "\(count) establishments at once is more than one command line can carry: export them in several goes (by zone, for instance)."
                )
            }
        }
    }

    init(form: FormFields) throws(Refusal) {
        var ids: [Int64] = []
        var seen: Set<Int64> = []
        for value in form.all("ids") {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            // Digits only: `Int64(_:)` alone would take "+3"; a value past Int64 is refused, not wrapped.
            guard !trimmed.isEmpty, trimmed.utf8.allSatisfy({ (48...57).contains($0) }), let id = Int64(trimmed), id > 0
            else { throw .notAnID(value) }
            if seen.insert(id).inserted { ids.append(id) }
        }
        guard !ids.isEmpty else { throw .noEstablishment }
        // Linux refuses a single argument past 128 KiB (`--ids=…` is one): refused here, in words, rather
        // than by the kernel as a failed start.
        guard ids.map({ String($0).utf8.count + 1 }).reduce(0, +) <= Self.idListLimit else { throw .tooMany(ids.count) }
        self.ids = ids
        includeFiles = form.isChecked("files")
        keepLocked = form.isChecked("keep_locked")
        format = form.text("format") ?? "transfert"
        without = form.text("without")
        only = form.text("only")
        anonymise = form.isChecked("anonymise")
        note = form.text("note")
        deepVerification = form.isChecked("verify_deep")
    }

    /// The longest `--ids=` list passed, in bytes (well under the kernel's 128 KiB per argument).
    static let idListLimit = 100_000

    var idList: String { ids.map(String.init).joined(separator: ",") }

    /// The job's title: the ids when they are few, their number and the first ones when they are many
    /// (a whole zone's export must not make the jobs list unreadable).
    func title(_ language: ConsoleLanguage) -> String {
        guard ids.count > 6 else { return language.text("Export de \(idList)", "Export of \(idList)") }
        let first = ids.prefix(5).map(String.init).joined(separator: ",")
        return language.text(
            "Export de \(ids.count) établissements (\(first)…)", "Export of \(ids.count) establishments (\(first)…)")
    }

    /// `export --ids=… --out {files} --progress json …`: the bundle goes into the job's own directory,
    /// which its page offers for download.
    var exportArguments: [String] {
        var arguments = ["export", "--ids=\(idList)", "--out", "{files}", "--progress", "json"]
        arguments.append("--format=\(format)")
        arguments.append(includeFiles ? "--files" : "--no-files")
        if keepLocked { arguments.append("--keep-locked") }
        if let without { arguments.append("--without=\(without)") }
        if let only { arguments.append("--only=\(only)") }
        if anonymise { arguments.append("--anonymise") }
        if let note { arguments.append("--note=\(note)") }
        return arguments
    }

    /// `verify` of the two files the export wrote (named by the export: see ``ProducedFileArgument``).
    var verifyArguments: [String] {
        ["verify", "--progress", "json"] + (deepVerification ? ["--deep"] : [])
            + ["--", "\(ProducedFileArgument.prefix).csv}", "\(ProducedFileArgument.prefix).zip}"]
    }
}
