import Foundation
import TransfertFormats
import TransfertModel
import TransfertStorage

/// What one establishment's export produced.
public struct ExportedEstablishment: Sendable, Equatable, Codable {
    public var baseID: Int64
    public var denomination: String
    public var nomFichier: String
    public var tables: Int
    public var rows: Int64
    public var dumpBytes: Int64
    public var filesCount: Int
    public var filesBytes: Int64
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case baseID = "base_id"
        case denomination
        case nomFichier = "nom_fichier"
        case tables, rows
        case dumpBytes = "dump_bytes"
        case filesCount = "files_count"
        case filesBytes = "files_bytes"
        case seconds
    }
}
