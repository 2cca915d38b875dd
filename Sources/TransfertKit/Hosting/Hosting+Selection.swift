import Foundation

extension Hosting {
    /// The establishments an export selects, by id order; refuses an unknown id or zone, and an empty
    /// selection.
    public func structures(in selection: ExportSelection) throws -> [Structure] {
        let structures: [Structure]
        switch selection {
        case .ids(let ids): structures = try selectStructures(ids)
        case .all: structures = try registry.structures()
        case .zone(let zone):
            guard try registry.zone(id: zone) != nil else { throw RegistryError.unknownZone(zone) }
            structures = try registry.structures().filter { $0.zoneID == zone }
        }
        guard !structures.isEmpty else { throw ExportError.emptySelection }
        let moved = structures.filter { $0.status == .moved }.map(\.baseID)
        guard moved.isEmpty else { throw ExportError.moved(moved) }
        return structures
    }
}
