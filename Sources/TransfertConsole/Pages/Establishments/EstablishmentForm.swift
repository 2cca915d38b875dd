import Foundation
import TransfertModel

/// The add and edit form: the values as typed (shown again, unchanged, when the command refuses them),
/// and the command line they become. Values go to the command as `--option=value`, so that a value
/// starting with a dash is a value, never an option; the command alone judges them (`structure add`'s
/// and `structure edit`'s rules and words).
struct EstablishmentForm: Sendable {
    var uai = ""
    var denomination = ""
    var localisation = ""
    var zone = "1"
    var contactNom = ""
    var contactPrenom = ""
    var contactCourriel = ""
    /// `fr`, `en`, or empty: the hosting's language.
    var language = ""
    /// `YYYY-MM-DD`; empty on add means today.
    var inscriptionDate = ""

    init() {}

    init(_ fields: FormFields) {
        uai = fields["uai"] ?? ""
        denomination = fields["denomination"] ?? ""
        localisation = fields["localisation"] ?? ""
        zone = fields["zone"] ?? ""
        contactNom = fields["contact_nom"] ?? ""
        contactPrenom = fields["contact_prenom"] ?? ""
        contactCourriel = fields["contact_courriel"] ?? ""
        language = fields["language"] ?? ""
        inscriptionDate = fields["inscription_date"] ?? ""
    }

    init(_ structure: Structure, ownLanguage: String?) {
        uai = structure.uai?.rawValue ?? ""
        denomination = structure.denomination
        localisation = structure.localisation
        zone = String(structure.zoneID)
        contactNom = structure.contactNom
        contactPrenom = structure.contactPrenom
        contactCourriel = structure.contactCourriel.rawValue
        language = ownLanguage ?? ""
        inscriptionDate = structure.inscriptionDate.description
    }

    /// Every value with its input's name, for ``CommandValueCheck``.
    var values: [(name: String, value: String)] {
        [
            ("uai", uai), ("denomination", denomination), ("localisation", localisation), ("zone", zone),
            ("contact_nom", contactNom), ("contact_prenom", contactPrenom), ("contact_courriel", contactCourriel),
            ("language", language), ("inscription_date", inscriptionDate),
        ]
    }

    /// `structure add …`: a blank UAI or date is left to the command's default (none, today).
    var addArguments: [String] {
        var arguments = ["structure", "add"]
        if !uai.trimmingCharacters(in: .whitespaces).isEmpty { arguments.append("--uai=\(uai)") }
        arguments += [
            "--denomination=\(denomination)", "--localisation=\(localisation)", "--zone=\(zone)",
            "--contact-nom=\(contactNom)", "--contact-prenom=\(contactPrenom)",
            "--contact-courriel=\(contactCourriel)",
        ]
        if !inscriptionDate.isEmpty { arguments.append("--date=\(inscriptionDate)") }
        if !language.isEmpty { arguments.append("--language=\(language)") }
        return arguments
    }

    /// `structure edit N …` with every field of the form (an empty UAI removes it).
    func editArguments(baseID: Int64) -> [String] {
        var arguments = [
            "structure", "edit", String(baseID), "--uai=\(uai)", "--denomination=\(denomination)",
            "--localisation=\(localisation)", "--zone=\(zone)", "--contact-nom=\(contactNom)",
            "--contact-prenom=\(contactPrenom)", "--contact-courriel=\(contactCourriel)",
        ]
        if !inscriptionDate.isEmpty { arguments.append("--date=\(inscriptionDate)") }
        return arguments
    }

    /// `structure language --ids N fr|en|default`.
    func languageArguments(baseID: Int64) -> [String] {
        ["structure", "language", "--ids", String(baseID), language.isEmpty ? "default" : language]
    }

    /// The form's inputs, each labelled; the fields the refusal names are marked invalid for screen readers.
    func fields(zones: [Zone], hostingLanguage: String, invalid: Set<String>, language: ConsoleLanguage) -> HTML {
        func input(_ name: String, _ label: String, _ value: String, type: String = "text", required: Bool = true)
            -> HTML
        {
            let flags: HTML = HTML(
                trusted: (required ? " required" : "") + (invalid.contains(name) ? " aria-invalid=\"true\"" : ""))
            return
                "<p><label for=\"\(name)\">\(label)</label><input id=\"\(name)\" name=\"\(name)\" type=\"\(type)\" value=\"\(value)\"\(flags)></p>"
        }
        let zoneOptions = HTML(
            joining: zones.map { zone in
                let selected: HTML = String(zone.id) == self.zone ? " selected" : .empty
                return "<option value=\"\(zone.id)\"\(selected)>\(zone.id) — \(zone.name)</option>"
            })
        // A zone typed that is not in the list (gone meanwhile) stays selectable, so the command names it.
        let unknownZone: HTML =
            zones.contains { String($0.id) == zone } ? .empty : "<option value=\"\(zone)\" selected>\(zone)</option>"
        let languageOption = { (code: String, label: String) -> HTML in
            "<option value=\"\(code)\"\(self.language == code ? HTML(trusted: " selected") : .empty)>\(label)</option>"
        }
        return """
            \(input("uai", language.text("UAI (7 chiffres et la lettre clé ; vide hors de France)", "UAI (7 digits and the check letter; empty outside France)"), uai, required: false))
            \(input("denomination", language.text("Dénomination", "Name"), denomination))
            \(input("localisation", language.text("Localisation (commune)", "Place (town)"), localisation))
            <p><label for="zone">\(language.text("Zone", "Zone"))</label><select id="zone" name="zone"\(invalid.contains("zone") ? HTML(trusted: " aria-invalid=\"true\"") : .empty)>\(unknownZone)\(zoneOptions)</select></p>
            \(input("contact_nom", language.text("Nom du contact", "Contact's last name"), contactNom))
            \(input("contact_prenom", language.text("Prénom du contact", "Contact's first name"), contactPrenom))
            \(input("contact_courriel", language.text("Courriel du contact", "Contact's e-mail"), contactCourriel, type: "email"))
            \(input("inscription_date", language.text("Date d’inscription (vide : aujourd’hui)", "Registration date (empty: today)"), inscriptionDate, type: "date", required: false))
            <p><label for="language">\(language.text("Langue des lettres", "Letters' language"))</label><select id="language" name="language">
            \(languageOption("", language.text("celle de l’hébergement (\(hostingLanguage))", "the hosting's (\(hostingLanguage))")))\(languageOption("fr", "français"))\(languageOption("en", "English"))</select></p>
            """
    }

    /// The form's input names the command's field names point to (`zone_id` is the select `zone`).
    static func inputName(forField field: String) -> String {
        switch field {
        case "zone_id": return "zone"
        case "inscription_date": return "inscription_date"
        default: return field
        }
    }
}
