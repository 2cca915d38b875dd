import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// `transfert confirm RECEIPT` on the source: proves, from the target's signed receipt and this
/// hosting's own journal, that the establishments now live on the target, unchanged since they were
/// exported — and only then records them as moved.
///
/// Checks, every one before anything is written: the signature; the receipt's content (``ReceiptValidation``);
/// that it is for a bundle of this server; that its key is trusted (``TrustedTargets``: given with
/// `--expect-key` the first time, remembered after); that the bundle was exported here (SHA-256 of its
/// ZIP); per establishment, that it was in that bundle with that GUID and id, that the digests the target
/// verified are those recorded at export, and that the live database (when still here) has not changed
/// since. Then all the moves are recorded in one transaction. Establishments already confirmed by the same
/// target are skipped, so confirming twice is harmless.
///
/// ```swift
/// let result = try MoveConfirmation(hosting: hosting).confirm(receipt: url, note: "déménagement académique")
/// result.confirmed.map(\.accessURL)
/// ```
public struct MoveConfirmation {
    public let hosting: Hosting

    public init(hosting: Hosting) {
        self.hosting = hosting
    }

    public struct Result: Codable, Sendable {
        public var receipt: String
        public var target: String
        public var confirmed: [ConfirmedMove]
        /// Already confirmed before, by this receipt.
        public var alreadyConfirmed: [ConfirmedMove]

        enum CodingKeys: String, CodingKey {
            case receipt, target, confirmed
            case alreadyConfirmed = "already_confirmed"
        }
    }

    public func confirm(receipt url: URL, expectedKey: String? = nil, note: String? = nil, now: Date = Date()) throws
        -> Result
    {
        let (receipt, receiptSHA256) = try ImportReceipt.read(contentsOf: url)
        do {
            return try check(receipt, sha256: receiptSHA256, file: url, expectedKey: expectedKey, note: note, now: now)
        } catch let error as MoveError {
            // A refused confirmation is part of the story of the establishments this hosting knows:
            // recorded, then reported. A foreign receipt's establishments are not ours to record.
            let known = Set((try? hosting.registry.journal(guid: nil))?.map(\.guid) ?? [])
            for establishment in receipt.establishments where known.contains(establishment.guid.lowercased()) {
                try? hosting.registry.record(
                    JournalEntry(
                        event: .confirmed, guid: establishment.guid, baseID: establishment.oldID,
                        denomination: establishment.denomination,
                        bundle: receipt.bundle.name, details: "refused: \(error)", uai: establishment.uai,
                        targetServer: receipt.target.serverName, targetFingerprint: receipt.target.fingerprint,
                        targetBaseID: establishment.newID, bundleSHA256: receipt.bundle.zipSHA256, note: note,
                        outcome: .refused, at: now))
            }
            throw error
        }
    }

    private func check(
        _ receipt: ImportReceipt, sha256: String, file: URL, expectedKey: String?, note: String?,
        now: Date
    ) throws -> Result {
        try ReceiptKey.verify(receipt)
        try ReceiptValidation.check(receipt)
        let fingerprint = try hosting.registry.fingerprint()
        guard receipt.source.fingerprint == fingerprint else {
            throw MoveError.notThisSource(server: receipt.source.serverName, fingerprint: receipt.source.fingerprint)
        }
        let trusted = TrustedTargets(hostingDirectory: hosting.directory)
        try trusted.check(receipt.target, expectedKey: expectedKey)
        // The bundle is known by its bytes: a ZIP renamed on its way (edited.zip) is the same bundle.
        let exportedHere = try hosting.registry.journal(guid: nil).filter {
            $0.event == .exported && $0.outcome != .refused
        }
        let exports = exportedHere.filter { $0.bundleSHA256 == receipt.bundle.zipSHA256 }
        guard !exports.isEmpty else {
            if let sameName = exportedHere.first(where: { $0.bundle == receipt.bundle.name }) {
                throw MoveError.otherBundle(
                    name: receipt.bundle.name, exported: sameName.bundleSHA256 ?? "not recorded",
                    imported: receipt.bundle.zipSHA256)
            }
            throw MoveError.unknownBundle(receipt.bundle.name)
        }
        let bundleName = exports[0].bundle ?? receipt.bundle.name
        let moves = try hosting.registry.moves()
        var problems: [Problem] = []
        var toConfirm: [(move: ConfirmedMove, establishment: ImportReceipt.Establishment)] = []
        var already: [ConfirmedMove] = []
        for establishment in receipt.establishments {
            let guid = establishment.guid.lowercased()
            let label = "establishment \(establishment.oldID) (\(establishment.denomination))"
            let place = ProblemLocation(baseID: establishment.oldID)
            func refuse(_ code: ProblemCode, _ message: String) {
                problems.append(Problem(code: code, message: message, location: place))
            }
            if let move = moves.first(where: { $0.baseID == establishment.oldID }) {
                if move.guid == guid && move.targetFingerprint == receipt.target.fingerprint
                    && move.newID == establishment.newID
                {
                    already.append(move)
                } else {
                    refuse(
                        .receiptAlreadyMoved,
                        "\(label) was already confirmed as moved to \(move.targetServer) (id \(move.newID)) by another receipt: one establishment lives on one server"
                    )
                }
                continue
            }
            guard let exported = exports.first(where: { $0.guid == guid }) else {
                refuse(
                    .receiptNotInBundle,
                    "\(label), GUID \(guid), was not in bundle \(bundleName) when it was exported here")
                continue
            }
            guard exported.baseID == establishment.oldID else {
                refuse(
                    .receiptOtherID,
                    "\(label): the receipt says old id \(establishment.oldID), the export was of id \(exported.baseID)")
                continue
            }
            if let recorded = exported.digests {
                problems += DigestComparison.differences(
                    expected: recorded, actual: establishment.tables, actualLabel: "what the target verified"
                )
                .map { $0.restated(prefix: "\(label): ", place: place) }
            } else {
                refuse(
                    .receiptNoDigests,
                    "\(label): its export recorded no digests (exported before receipts existed): export it again and import that bundle"
                )
            }
            var localisation = ""
            if let live = try hosting.registry.structure(guid: UUID(uuidString: guid) ?? UUID()) {
                guard live.baseID == establishment.oldID else {
                    refuse(
                        .receiptOtherID,
                        "\(label): this establishment is hosted here under id \(live.baseID), not the id it was exported with"
                    )
                    continue
                }
                localisation = live.localisation
                let digests = try hosting.establishments.read(baseID: live.baseID) { try $0.tableDigests() }
                problems += DigestComparison.differences(
                    expected: establishment.tables, actual: digests,
                    actualLabel: "the live database (id \(live.baseID))"
                )
                .map {
                    $0.restated(
                        prefix: "\(label) changed since the export, and the change would be lost: ",
                        code: .sourceChanged, place: place)
                }
            }
            let move = ConfirmedMove(
                baseID: establishment.oldID, guid: guid, denomination: establishment.denomination,
                localisation: localisation,
                uai: establishment.uai, targetServer: receipt.target.serverName,
                targetFingerprint: receipt.target.fingerprint,
                newID: establishment.newID, accessURL: establishment.accessURL, bundle: bundleName,
                receiptSHA256: sha256, confirmedAt: ISO8601DateFormatter().string(from: now))
            toConfirm.append((move, establishment))
        }
        guard problems.isEmpty else { throw MoveError.mismatches(problems) }
        // All of them or none: one transaction.
        var entries: [JournalEntry] = []
        for (move, establishment) in toConfirm {
            func entry(_ event: JournalEntry.Event, _ details: String) -> JournalEntry {
                JournalEntry(
                    event: event, guid: move.guid, baseID: move.baseID, denomination: move.denomination,
                    bundle: move.bundle, details: details, uai: move.uai, targetServer: move.targetServer,
                    targetFingerprint: move.targetFingerprint, targetBaseID: move.newID,
                    bundleSHA256: receipt.bundle.zipSHA256, digests: establishment.tables, note: note, at: now)
            }
            entries.append(
                entry(
                    .confirmed,
                    "receipt \(file.lastPathComponent) (SHA-256 \(sha256)), signed by \(receipt.target.publicKey)"))
            entries.append(
                entry(
                    .redirected,
                    "\(hosting.configuration.accessURL(baseID: move.baseID)) now redirects to \(move.accessURL)"))
        }
        if !toConfirm.isEmpty { try hosting.registry.confirmMoves(toConfirm.map(\.move), journal: entries) }
        try trusted.remember(receipt.target, at: now)
        return Result(
            receipt: file.path, target: receipt.target.serverName, confirmed: toConfirm.map(\.move),
            alreadyConfirmed: already)
    }
}
