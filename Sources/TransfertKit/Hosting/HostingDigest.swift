import Crypto
import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// A digest of a whole hosting's content: registry rows, every establishment's tables and files.
///
/// Used to prove `transfert sample` is deterministic, and handy to compare two hostings.
public enum HostingDigest {
    public static func compute(_ hosting: Hosting) throws -> String {
        var hasher = SHA256()
        func feed(_ text: String) { hasher.update(data: Data((text + "\n").utf8)) }
        for zone in try hosting.registry.zones() { feed("zone \(zone.id) \(zone.name)") }
        for s in try hosting.registry.structures() {
            feed(
                "structure \(s.baseID) \(s.guid) \(s.zoneID) \(s.uai?.rawValue ?? "") \(s.localisation) \(s.denomination) \(s.contactNom) \(s.contactPrenom) \(s.contactCourriel) \(s.inscriptionDate)"
            )
            for table in try hosting.establishments.read(baseID: s.baseID, { try $0.tableDigests() }) {
                feed("table \(table.table) \(table.rows) \(table.sha256)")
            }
            for file in try FileTree.digests(of: hosting.filesDirectory(baseID: s.baseID)) {
                feed("file \(file.path) \(file.size) \(file.sha256)")
            }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
