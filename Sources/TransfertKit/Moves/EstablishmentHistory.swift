import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// An establishment's path across the servers this hosting knows of, from its transfer journal: where it
/// came from (imports name their source and the id it had there), where it went (receipts and
/// confirmations name the target and the id it got), and everything in between, oldest first.
///
/// ```swift
/// let histories = try EstablishmentHistory.find(.id(12), in: hosting.registry, serverName: hosting.configuration.serverName)
/// histories[0].path   // [serveur-a #3, serveur-b #12]
/// ```
public struct EstablishmentHistory: Codable, Equatable, Sendable {
    /// What it reads: the establishments registered here, the moves confirmed from here, and the journal.
    public typealias Registries = EstablishmentRegistry & MoveRegistry & TransferJournal

    public var guid: String
    public var denomination: String
    /// Each place it lived, in order: a server and its id there.
    public var path: [Stop]
    public var events: [JournalEntry]

    public struct Stop: Codable, Equatable, Sendable {
        public var server: String
        public var id: Int64
    }

    public enum Key: Sendable {
        case guid(String)
        case id(Int64)
        case uai(String)
    }

    /// The history of every establishment `key` names (one, or several when copies share a UAI); empty
    /// when this hosting knows nothing of it. `serverName` is this hosting's (`server_name`): the journal
    /// names the other servers, and the steps made here are this one's.
    public static func find(_ key: Key, in registry: any Registries, serverName: String) throws
        -> [EstablishmentHistory]
    {
        let journal = try registry.journal(guid: nil)
        var guids: [String] = []
        switch key {
        case .guid(let text):
            guids = [text.lowercased()]
        case .id(let id):
            if let structure = try registry.structure(baseID: id) {
                guids = [structure.guid.uuidString.lowercased()]
            } else if let move = try registry.move(baseID: id) {
                guids = [move.guid]
            } else if let last = journal.last(where: { $0.baseID == id }) {
                guids = [last.guid]
            }
        case .uai(let text):
            let uai = text.uppercased()
            if let structure = try? registry.structure(uai: UAI(validating: uai)) {
                guids = [structure.guid.uuidString.lowercased()]
            }
            for entry in journal where entry.uai?.uppercased() == uai && !guids.contains(entry.guid) {
                guids.append(entry.guid)
            }
        }
        return guids.compactMap { guid in
            let events = journal.filter { $0.guid == guid }
            guard !events.isEmpty else { return nil }
            return EstablishmentHistory(
                guid: guid, denomination: events.last?.denomination ?? "", path: path(of: events, here: serverName),
                events: events)
        }
    }

    /// The servers and ids, in order, that the events show it had.
    static func path(of events: [JournalEntry], here: String) -> [Stop] {
        var stops: [Stop] = []
        func visit(_ server: String?, _ id: Int64?) {
            guard let server, let id else { return }
            let stop = Stop(server: server, id: id)
            if stops.last != stop { stops.append(stop) }
        }
        for event in events where event.outcome != .refused {
            switch event.event {
            case .imported:
                visit(event.sourceServer, event.sourceBaseID)
                visit(here, event.baseID)
            case .exported:
                visit(here, event.baseID)
            case .removed:
                // Leaving this server is not a new place.
                if stops.isEmpty { visit(here, event.baseID) }
            case .receiptWritten, .redirected, .restored:
                // The same step as the import before it, or the confirmation.
                break
            case .confirmed:
                visit(here, event.baseID)
                visit(event.targetServer, event.targetBaseID)
            }
        }
        return stops
    }
}
