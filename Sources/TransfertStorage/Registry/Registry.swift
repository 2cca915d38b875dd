import Foundation
import TransfertFormats
import TransfertModel

/// The registry of a hosting, the backend's one database shared by every command: the establishments
/// and their zones, the locks users see, the transfer journal, the outbox, the import runs.
///
/// Each concern is a protocol of its own, so that a backend implements (and a reader finds) one concern
/// per file; callers that need all of it take a `Registry`.
public protocol Registry: EstablishmentRegistry, LockRegistry, AccessLockRegistry, MaintenanceRegistry, MoveRegistry,
    TransferJournal,
    OutboxRegistry, ImportRunRegistry, LetterLanguageRegistry, RevisionedRegistry
{}
