import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// Writes the signed receipt of an import (`<zip name>.receipt.json` next to the result file, or
/// `--receipt FILE`) and journals it: the target's word that these establishments now live here,
/// unchanged, for the source to check with `transfert confirm`.
///
/// It takes what it uses, not the whole hosting: the hosting's directory (where the signing key lives),
/// the registry parts it reads and writes, and the configuration (server name, access URLs).
struct ReceiptWriter {
    /// What it uses of the registry: the fingerprint signed into the receipt, and the journal it writes.
    typealias Registries = EstablishmentRegistry & TransferJournal

    /// The hosting's directory, which holds the receipt key (``ReceiptKey/load(in:)``).
    let directory: URL
    let registry: any Registries
    let configuration: HostingConfiguration
    /// Journal lines that could not be written (the receipt itself was).
    private(set) var journalProblems: [String] = []

    /// `<name>.receipt.json` in the directory of the result file.
    static func defaultURL(result: URL, bundleName: String) -> URL {
        result.deletingLastPathComponent().appendingPathComponent(bundleName + ".receipt.json")
    }

    /// The receipt of every establishment the bundle now has here (imported by this run or an earlier
    /// one), signed and written owner-only; `nil` when there is none.
    mutating func write(
        to url: URL, bundle: BundleManifest, bundleName: String, zipSHA256: String,
        hosted: [(outcome: ImportOutcome, establishment: BundleManifest.Establishment)], note: String?,
        now: Date = Date()
    ) throws -> URL? {
        guard !hosted.isEmpty else { return nil }
        let key = try ReceiptKey.load(in: directory)
        let establishments = hosted.compactMap { item -> ImportReceipt.Establishment? in
            guard let newID = item.outcome.newID else { return nil }
            return ImportReceipt.Establishment(
                guid: item.outcome.guid, oldID: item.establishment.baseID, newID: newID,
                accessURL: configuration.accessURL(baseID: newID), denomination: item.outcome.denomination,
                uai: item.outcome.uai, tables: item.establishment.tables)
        }
        let receipt = try key.sign(
            ImportReceipt(
                target: .init(
                    serverName: configuration.serverName, baseURL: configuration.baseURL,
                    fingerprint: try registry.fingerprint(), publicKey: key.publicKeyBase64),
                source: .init(serverName: bundle.source.serverName, fingerprint: bundle.source.fingerprint),
                bundle: .init(name: bundleName, zipSHA256: zipSHA256),
                importedAt: ISO8601DateFormatter().string(from: now), establishments: establishments))
        let data = try receipt.fileData()
        try AtomicFile.write(data, to: url)
        let receiptSHA256 = SHA256Hex.of(data)
        // One transaction for every establishment's line: with hundreds of establishments, one commit each
        // (four syncs) was the import's longest serial tail. The receipt exists whatever the journal says:
        // lines that cannot be written do not undo it, and are said.
        let entries = establishments.map { establishment in
            JournalEntry(
                event: .receiptWritten, guid: establishment.guid, baseID: establishment.newID,
                denomination: establishment.denomination,
                sourceServer: bundle.source.serverName, sourceFingerprint: bundle.source.fingerprint,
                sourceBaseID: establishment.oldID,
                bundle: bundleName, details: "\(url.lastPathComponent) (SHA-256 \(receiptSHA256))",
                uai: establishment.uai,
                targetServer: configuration.serverName, targetFingerprint: receipt.target.fingerprint,
                targetBaseID: establishment.newID,
                bundleSHA256: zipSHA256, digests: establishment.tables, note: note, at: now)
        }
        do {
            try registry.record(entries)
        } catch {
            journalProblems.append(
                "the journal lines of the receipt of establishment(s) \(establishments.map { String($0.newID) }.joined(separator: ", ")) could not be written (\(error))"
            )
        }
        return url
    }
}
