import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

extension Hosting {
    /// The establishments an export selects, by id order; refuses an unknown id or zone, and an empty
    /// selection.
    ///
    /// Establishments that moved away (confirmed) are old copies: named with `--ids`, they are refused;
    /// under `--all` or `--zone`, they are left out (``movedLeftOut(in:)`` says which).
    public func structures(in selection: ExportSelection) throws -> [Structure] {
        let structures: [Structure]
        switch selection {
        case .ids(let ids):
            structures = try selectStructures(ids)
            let moved = structures.filter { $0.status == .moved }.map(\.baseID)
            guard moved.isEmpty else { throw ExportError.moved(moved) }
        case .all, .zone:
            structures = try scope(of: selection).filter { $0.status != .moved }
        }
        guard !structures.isEmpty else { throw ExportError.emptySelection }
        return structures
    }

    /// The moved establishments `--all` or `--zone` leave out, for the export to say so.
    public func movedLeftOut(in selection: ExportSelection) throws -> [Structure] {
        if case .ids = selection { return [] }
        return try scope(of: selection).filter { $0.status == .moved }
    }

    private func scope(of selection: ExportSelection) throws -> [Structure] {
        switch selection {
        case .ids(let ids): return try selectStructures(ids)
        case .all: return try registry.structures()
        case .zone(let zone):
            guard try registry.zone(id: zone) != nil else { throw RegistryError.unknownZone(zone) }
            return try registry.structures().filter { $0.zoneID == zone }
        }
    }
}
