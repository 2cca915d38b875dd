import Foundation
import TransfertFormats
import TransfertModel

/// Where a hosting keeps its registry and its establishments' databases.
///
/// Callers (commands, export, import) only see these protocols, so a backend can be added without
/// touching them. The API is synchronous on purpose: dumps and restores stream millions of rows through
/// per-row callbacks inside one transaction, which a blocking API does without buffering.
public protocol HostingBackend: Sendable {
    /// A short name for messages ("SQLite", "PostgreSQL").
    var name: String { get }
    /// The registry of zones and structures.
    var registry: any Registry { get }
    /// The per-establishment databases.
    var establishments: any EstablishmentStore { get }
    /// Throwaway databases on the same engine, for `verify --deep` (`parent`: where files may go).
    func makeScratchDatabases(parent: URL?) throws -> ScratchDatabases
    /// What this engine keeps of `schema` only in part, in words (reported by import: never silent).
    func caveats(for schema: DatabaseSchema) -> [String]
    /// How many establishments an import restores at once. Both backends give each establishment its own
    /// database and connection, so two restores do not wait for each other; an engine where they would
    /// (one file, one writer) says 1.
    var concurrentRestores: Int { get }
    /// A staging database for establishment `baseID`, beside the live one on the same engine (and, for
    /// SQLite, the same file system), for a restore that replaces the live content in one swap.
    func makeStagedEstablishment(baseID: Int64) throws -> any StagedEstablishment
}

extension HostingBackend {
    public func caveats(for schema: DatabaseSchema) -> [String] { [] }
    /// Two: each restore already runs on two threads (parse, insert); three or four at once were
    /// measured no faster on two cores (a bundle of 30 small establishments: 0.68–0.71× the reference).
    public var concurrentRestores: Int { 2 }
}
