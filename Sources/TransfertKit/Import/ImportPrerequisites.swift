import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What must exist on the target before any row is restored — dependent data first, as synchronisation
/// systems learn: the application the bundle was made for, a schema version this server can take (or
/// migrate from), and every zone the CSV names. All that is missing is said in one message, so that the
/// operator prepares the target once.
struct ImportPrerequisites {
    let hosting: Hosting

    /// `nil` when everything is there; else one sentence listing what is missing and what to do.
    func missing(
        for bundle: BundleManifest, kind: BundleKind, rows: [ManifestRow],
        byName: [String: BundleManifest.Establishment]
    ) throws -> String? {
        var missing: [String] = []
        let profile = hosting.profile
        if kind == .transfert, !bundle.source.applicationProfile.isEmpty,
            bundle.source.applicationProfile != profile.name
        {
            missing.append(
                "the application: the bundle was made for \"\(bundle.source.applicationProfile)\", this hosting runs \"\(profile.name)\" (init it with that application's profile)"
            )
        }
        let current = profile.schemaVersion.current
        let versions = Set(rows.compactMap { byName[$0["Nom_fichier"]]?.schemaVersion }.filter { !$0.isEmpty })
        let unsupported = versions.filter { profile.upgradePath(from: $0) == nil }.sorted()
        if !unsupported.isEmpty {
            missing.append(
                "schema version\(unsupported.count == 1 ? "" : "s") \(unsupported.joined(separator: ", ")) (this server is at \(current): "
                    + (unsupported.contains { $0 > current }
                        ? "upgrade the application here first" : "add migrations to the profile") + ")")
        }
        var zones: Set<Int64> = []
        for row in rows { if let zone = Int64(row["Id_Zone"]), zone > 0 { zones.insert(zone) } }
        let absent = try zones.sorted().filter { try hosting.registry.zone(id: $0) == nil }
        if !absent.isEmpty {
            missing.append(
                "zone\(absent.count == 1 ? "" : "s") \(absent.map(String.init).joined(separator: ", ")) (create \(absent.count == 1 ? "it" : "them") with `transfert zone add`, or change Id_Zone in the CSV)"
            )
        }
        guard !missing.isEmpty else { return nil }
        return "this hosting lacks what the bundle needs before any data can be restored: "
            + missing.joined(separator: "; ")
    }
}
