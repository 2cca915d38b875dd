import Foundation
import TransfertModel

/// A CSV cell that contradicts the manifest: the CSV's own copy of what the manifest records
/// (`Id_Export`, `GUID`, `SHA256`) must agree with it.
package struct RowMismatch {
    package var column: String
    package var message: String

    /// Every cell of `row` that contradicts `establishment`.
    package static func between(_ row: ManifestRow, _ establishment: BundleManifest.Establishment, csv: ReadManifest)
        -> [RowMismatch]
    {
        var mismatches: [RowMismatch] = []
        if row["Id_Export"] != String(establishment.baseID) {
            mismatches.append(
                RowMismatch(
                    column: "Id_Export",
                    message: "the ZIP holds \(establishment.nomFichier) as establishment \(establishment.baseID)"))
        }
        if csv.hasColumn("GUID"), !row["GUID"].isEmpty, row["GUID"].lowercased() != establishment.guid {
            mismatches.append(RowMismatch(column: "GUID", message: "is not the bundle's \(establishment.guid)"))
        }
        if csv.hasColumn("SHA256"), !row["SHA256"].isEmpty, row["SHA256"].lowercased() != establishment.dumpSHA256 {
            mismatches.append(
                RowMismatch(
                    column: "SHA256", message: "does not match the dump in the ZIP: the CSV comes from another export"))
        }
        return mismatches
    }
}
