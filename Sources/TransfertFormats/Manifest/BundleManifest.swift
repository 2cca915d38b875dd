import Foundation
import TransfertModel

/// Constants of the bundle format (see `Docs/archive-format.md`).
public enum BundleFormat {
    /// The newest format version this Transfert reads and writes; readers refuse newer versions.
    /// Version 2 carries the whole schema (foreign keys, CHECK, every index, views, triggers); version 1
    /// left those out. Version 3 is version 2 with a content record saying the bundle is partial or
    /// anonymised (``written(for:)``).
    public static let version = 3
    /// What a complete, unaltered bundle is written as: a Transfert that predates content selection
    /// (reading ≤ 2) imports it as before.
    public static let completeVersion = 2

    /// The version a bundle with `content` is written as: 3 when something was left out or replaced, so
    /// that an older Transfert, which would not know, refuses it ("newer format: upgrade") instead of
    /// importing a partial or anonymised bundle as if it were the whole establishment; 2 otherwise.
    public static func written(for content: ContentSelection?) -> Int {
        guard let content, !content.isComplete || content.anonymised else { return completeVersion }
        return version
    }
    /// The manifest's path at the root of the ZIP.
    public static let manifestPath = "manifest.json"
    /// The format's identifier, first key of the manifest.
    public static let identifier = "transfert-bundle"
}

/// `manifest.json`, at the root of every bundle ZIP: what the bundle holds and how to check it.
public struct BundleManifest: Codable, Equatable, Sendable {
    public var format: String = BundleFormat.identifier
    public var formatVersion: Int = BundleFormat.completeVersion
    public var toolVersion: String
    public var source: Source
    /// ISO 8601, UTC.
    public var createdAt: String
    public var options: Options
    public var establishments: [Establishment]

    public struct Source: Codable, Equatable, Sendable {
        public var serverName: String
        public var baseURL: String
        /// The source hosting's stable random identifier (its registry's `fingerprint`).
        public var fingerprint: String
        public var backend: String
        public var applicationProfile: String

        enum CodingKeys: String, CodingKey {
            case serverName = "server_name"
            case baseURL = "base_url"
            case fingerprint, backend
            case applicationProfile = "application_profile"
        }

        /// The memberwise initialiser, written out so that the other targets of the package can call it.
        package init(
            serverName: String, baseURL: String, fingerprint: String, backend: String, applicationProfile: String
        ) {
            self.serverName = serverName
            self.baseURL = baseURL
            self.fingerprint = fingerprint
            self.backend = backend
            self.applicationProfile = applicationProfile
        }
    }

    public struct Options: Codable, Equatable, Sendable {
        public var includeFiles: Bool
        public var keepLocked: Bool
        /// The categories carried and left out, and whether personal data was replaced
        /// (`export --without/--only/--anonymise`, backups); absent: everything, as exported. Format-1
        /// manifests wrote a bare `"anonymised": false`, which decoding ignores.
        public var content: ContentSelection?

        enum CodingKeys: String, CodingKey {
            case includeFiles = "include_files"
            case keepLocked = "keep_locked"
            case content
        }

        /// The memberwise initialiser, written out so that the other targets of the package can call it.
        package init(includeFiles: Bool, keepLocked: Bool, content: ContentSelection? = nil) {
            self.includeFiles = includeFiles
            self.keepLocked = keepLocked
            self.content = content
        }

        /// Whether personal data was replaced by pseudonyms: such a bundle imports only as a copy.
        public var isAnonymised: Bool { content?.anonymised ?? false }
    }

    /// One establishment of the bundle.
    public struct Establishment: Codable, Equatable, Sendable {
        /// The CSV's `Nom_fichier`: the folder of this dump in the ZIP.
        public var nomFichier: String
        public var guid: String
        /// The id on the source server (`Id_Export`).
        public var baseID: Int64
        public var uai: String?
        public var denomination: String
        public var schemaVersion: String
        public var tables: [TableDigest]
        /// What the dump declares (format 2: everything; format 1: the portable subset).
        public var schema: DatabaseSchema
        /// What the bundle says it left out (format 1 bundles list the constraints they dropped).
        public var schemaNotes: [SchemaNote]
        /// The SQL chunks, in load order.
        public var entries: [Entry]
        public var dumpBytes: Int64
        public var dumpSHA256: String
        /// Uploads, under `<Nom_fichier>/files/`.
        public var files: [Entry]
        /// The language of its contact's letters when it has one of its own (`structure language`);
        /// absent: the hosting's. Optional in format 2: older bundles have none.
        public var language: String? = nil

        // Saturating, never trapping: a manifest read from a bundle has passed ``ManifestValidator``, which
        // refuses negative values and sums beyond Int64, so these are exact for every bundle that opens.
        public var rows: Int64 { tables.lazy.map(\.rows).saturatingSum() }
        public var filesBytes: Int64 { files.lazy.map(\.size).saturatingSum() }
        /// What restoring or checking it reads: its dump and its files (the amount progress counts).
        public var contentBytes: Int64 { dumpBytes.saturatingAdding(filesBytes) }

        enum CodingKeys: String, CodingKey {
            case nomFichier = "nom_fichier"
            case guid
            case baseID = "base_id"
            case uai, denomination
            case schemaVersion = "schema_version"
            case tables, schema
            case schemaNotes = "schema_notes"
            case entries
            case dumpBytes = "dump_bytes"
            case dumpSHA256 = "dump_sha256"
            case files, language
        }

        /// The memberwise initialiser, written out so that the other targets of the package can call it.
        package init(
            nomFichier: String, guid: String, baseID: Int64, uai: String? = nil, denomination: String,
            schemaVersion: String, tables: [TableDigest], schema: DatabaseSchema, schemaNotes: [SchemaNote],
            entries: [Entry], dumpBytes: Int64, dumpSHA256: String, files: [Entry], language: String? = nil
        ) {
            self.nomFichier = nomFichier
            self.guid = guid
            self.baseID = baseID
            self.uai = uai
            self.denomination = denomination
            self.schemaVersion = schemaVersion
            self.tables = tables
            self.schema = schema
            self.schemaNotes = schemaNotes
            self.entries = entries
            self.dumpBytes = dumpBytes
            self.dumpSHA256 = dumpSHA256
            self.files = files
            self.language = language
        }
    }

    /// A file stored in the ZIP, with its uncompressed size and SHA-256.
    public struct Entry: Codable, Equatable, Sendable {
        public var path: String
        public var size: Int64
        public var sha256: String

        /// The memberwise initialiser, written out so that the other targets of the package can call it.
        package init(path: String, size: Int64, sha256: String) {
            self.path = path
            self.size = size
            self.sha256 = sha256
        }
    }

    enum CodingKeys: String, CodingKey {
        case format
        case formatVersion = "format_version"
        case toolVersion = "tool_version"
        case source
        case createdAt = "created_at"
        case options, establishments
    }

    /// Decodes the establishments one by one, sharing equal schemas as they come (``SchemaInterner``),
    /// so that a bundle of hundreds of establishments does not hold hundreds of copies of one schema
    /// (bundles are read through ``ManifestDecoder``, which also keeps the decoder's index small).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        toolVersion = try container.decode(String.self, forKey: .toolVersion)
        source = try container.decode(Source.self, forKey: .source)
        createdAt = try container.decode(String.self, forKey: .createdAt)
        options = try container.decode(Options.self, forKey: .options)
        var list = try container.nestedUnkeyedContainer(forKey: .establishments)
        let schemas = SchemaInterner()
        establishments = []
        while !list.isAtEnd {
            var establishment = try list.decode(Establishment.self)
            establishment.schema = schemas.shared(establishment.schema)
            establishments.append(establishment)
        }
    }

    public init(
        format: String = BundleFormat.identifier, formatVersion: Int = BundleFormat.completeVersion,
        toolVersion: String,
        source: Source, createdAt: String, options: Options, establishments: [Establishment]
    ) {
        self.format = format
        self.formatVersion = formatVersion
        self.toolVersion = toolVersion
        self.source = source
        self.createdAt = createdAt
        self.options = options
        self.establishments = establishments
    }

    /// The manifest as JSON (pretty-printed, keys sorted), in memory. The export streams it instead
    /// (``write(to:)``); this is for tests and small manifests.
    public func encoded() throws -> Data {
        var data = Data()
        try encode { data.append($0) }
        return data
    }

    /// Writes the manifest's JSON to a new owner-only file at `url` (it names the establishments and their
    /// contacts) and returns its size. The JSON goes out one establishment at a time, so memory holds one
    /// establishment's text, not the whole manifest: a bundle of 300 establishments has a manifest of
    /// several MiB, and building it in one buffer was what made an export's memory grow with the number
    /// of establishments.
    public func write(to url: URL) throws -> Int64 {
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var size: Int64 = 0
        try encode { piece in
            try handle.write(contentsOf: piece)
            size += Int64(piece.count)
        }
        return size
    }

    /// Hands the manifest's JSON to `emit` in pieces: the frame up to the list, then each establishment.
    ///
    /// Each establishment is encoded on its own and spliced into the list: the encoder builds a tree of
    /// everything it encodes before writing it out, and for the whole manifest of a bundle of 300
    /// establishments that tree alone was tens of MiB.
    private func encode(_ emit: (Data) throws -> Void) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var frame = self
        frame.establishments = []
        let text = try encoder.encode(frame)
        let marker = Data("\"establishments\" : [\n\n  ]".utf8)
        guard let range = text.range(of: marker) else { return try emit(encoder.encode(self)) }
        try emit(Data(text[..<range.lowerBound]) + Data("\"establishments\" : [\n".utf8))
        for (index, establishment) in establishments.enumerated() {
            if index > 0 { try emit(Data(",\n".utf8)) }
            try emit(encoder.encode(establishment))
        }
        try emit(Data("\n  ]".utf8) + Data(text[range.upperBound...]))
    }
}
