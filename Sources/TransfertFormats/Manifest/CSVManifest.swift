import Foundation
import TransfertModel

/// The CSV an operator downloads, edits in a spreadsheet and gives back to `import`.
///
/// The first eleven columns are SACoche's, byte for byte; Transfert's own columns follow.
/// UTF-8, `;`-separated, CRLF line ends, RFC 4180 quoting.
public enum CSVManifest {
    /// SACoche's columns, in order.
    public static let sacocheColumns = [
        "Id_Export", "Id_Import", "Id_Zone", "Localisation", "Dénomination", "UAI", "Contact_Nom",
        "Contact_Prénom", "Contact_Courriel", "Date_Inscription", "Nom_fichier",
    ]
    /// Transfert's columns, after SACoche's; optional on import.
    public static let extraColumns = ["GUID", "Version_Base", "SHA256"]
    public static var header: [String] { sacocheColumns + extraColumns }

    public static let separator: UInt8 = 0x3B  // ;

    /// One row per exported establishment, `Id_Import` left empty.
    public struct Row: Equatable, Sendable {
        public var idExport: Int64
        public var idImport: String = ""
        public var zoneID: Int64
        public var localisation: String
        public var denomination: String
        public var uai: String
        public var contactNom: String
        public var contactPrenom: String
        public var contactCourriel: String
        public var inscriptionDate: String
        public var nomFichier: String
        public var guid: String
        public var schemaVersion: String
        public var sha256: String

        public var fields: [String] {
            [
                String(idExport), idImport, String(zoneID), localisation, denomination, uai, contactNom, contactPrenom,
                contactCourriel, inscriptionDate, nomFichier, guid, schemaVersion, sha256,
            ]
        }

        /// The memberwise initialiser, written out so that the other targets of the package can call it.
        package init(
            idExport: Int64, idImport: String = "", zoneID: Int64, localisation: String, denomination: String,
            uai: String, contactNom: String, contactPrenom: String, contactCourriel: String, inscriptionDate: String,
            nomFichier: String, guid: String, schemaVersion: String, sha256: String
        ) {
            self.idExport = idExport
            self.idImport = idImport
            self.zoneID = zoneID
            self.localisation = localisation
            self.denomination = denomination
            self.uai = uai
            self.contactNom = contactNom
            self.contactPrenom = contactPrenom
            self.contactCourriel = contactCourriel
            self.inscriptionDate = inscriptionDate
            self.nomFichier = nomFichier
            self.guid = guid
            self.schemaVersion = schemaVersion
            self.sha256 = sha256
        }
    }

    /// The whole file: header and rows, each line ended by CRLF.
    public static func render(_ rows: [Row]) -> Data {
        var text = line(header)
        for row in rows { text += line(row.fields) }
        return Data(text.utf8)
    }

    package static func line(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ";") + "\r\n"
    }

    /// RFC 4180: a field holding the separator, a quote or a line break is quoted, quotes doubled.
    static func quote(_ field: String) -> String {
        // Scalars, not Characters: "\r\n" is a single Character and would slip past a Character test.
        guard field.unicodeScalars.contains(where: { $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
