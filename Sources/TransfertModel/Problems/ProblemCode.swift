/// A problem's stable code, in GRDB's `ResultCode` style: a value with named constants, each written once here,
/// grouped by area. Scripts branch on the raw value (`--json`'s `code`); the user guide's table of codes
/// lists exactly these (a test compares them), so a code never changes by accident — never derive one from a
/// Swift type or case name.
///
/// Codes are `<area>.<what>` in snake case. The few undotted ones (`usage`, `failed`, the maintenance and
/// move codes) were published before the dotted scheme and are kept as they are.
public struct ProblemCode: RawRepresentable, Hashable, Codable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }
}

// MARK: - Command line

extension ProblemCode {
    /// A command line that does not parse (exit code 64).
    public static let usage = ProblemCode(rawValue: "usage")
    /// Any other failure: the message says why.
    public static let failed = ProblemCode(rawValue: "failed")
}

// MARK: - Maintenance windows and locks (undotted, published so)

extension ProblemCode {
    /// A time that cannot be read (maintenance).
    public static let invalidTime = ProblemCode(rawValue: "invalid_time")
    /// A duration that cannot be read (maintenance).
    public static let invalidDuration = ProblemCode(rawValue: "invalid_duration")
    /// A window starting in the past.
    public static let startInPast = ProblemCode(rawValue: "start_in_past")
    /// A window ending in the past.
    public static let endInPast = ProblemCode(rawValue: "end_in_past")
    /// A window's end not after its start.
    public static let endNotAfterStart = ProblemCode(rawValue: "end_not_after_start")
    /// An establishment already has an open window.
    public static let windowAlreadyPlanned = ProblemCode(rawValue: "window_already_planned")
    /// No maintenance window has this id.
    public static let unknownWindow = ProblemCode(rawValue: "unknown_window")
    /// A finished or cancelled window cannot change.
    public static let windowClosed = ProblemCode(rawValue: "window_closed")
    /// Establishments this hosting does not have (locks, maintenance).
    public static let unknownEstablishment = ProblemCode(rawValue: "unknown_establishment")
    /// A maintenance message empty or too long.
    public static let invalidMessage = ProblemCode(rawValue: "invalid_message")
    /// `require_maintenance_window` and no window in progress covers the establishments.
    public static let outsideMaintenanceWindow = ProblemCode(rawValue: "outside_maintenance_window")
}

// MARK: - Moves and receipts (undotted, published so)

extension ProblemCode {
    /// A receipt that cannot be read.
    public static let unreadableReceipt = ProblemCode(rawValue: "unreadable_receipt")
    /// A signing key that cannot be read.
    public static let unreadableKey = ProblemCode(rawValue: "unreadable_key")
    /// A receipt whose signature does not match its content.
    public static let badSignature = ProblemCode(rawValue: "bad_signature")
    /// A receipt signed by another key than `--expect-key`.
    public static let unexpectedKey = ProblemCode(rawValue: "unexpected_key")
    /// A receipt about another server's bundle.
    public static let foreignReceipt = ProblemCode(rawValue: "foreign_receipt")
    /// A receipt naming a bundle never exported here.
    public static let unknownBundle = ProblemCode(rawValue: "unknown_bundle")
    /// A receipt about another bundle of the same name.
    public static let otherBundle = ProblemCode(rawValue: "other_bundle")
    /// What the target imported does not match what was exported.
    public static let receiptMismatch = ProblemCode(rawValue: "receipt_mismatch")
    /// A move confirmed already.
    public static let alreadyConfirmed = ProblemCode(rawValue: "already_confirmed")
    /// The first receipt of a target, without `--expect-key`.
    public static let untrustedTarget = ProblemCode(rawValue: "untrusted_target")
    /// A receipt whose content is not what a target writes.
    public static let malformedReceipt = ProblemCode(rawValue: "malformed_receipt")
}

// MARK: - `archive.`

extension ProblemCode {
    /// An entry's size or checksum does not match the manifest.
    public static let archiveContent = ProblemCode(rawValue: "archive.content")
    /// An entry that does not inflate.
    public static let archiveDamaged = ProblemCode(rawValue: "archive.damaged")
}

// MARK: - `backend.`

extension ProblemCode {
    /// A server backend without its `database:` section.
    public static let backendMissingDatabaseSettings = ProblemCode(rawValue: "backend.missing_database_settings")
    /// The database password is not where the configuration says.
    public static let backendPasswordMissing = ProblemCode(rawValue: "backend.password_missing")
    /// A database URL given to the embedded backend (sqlite), which has no server.
    public static let backendDatabaseURLWithoutServer = ProblemCode(rawValue: "backend.database_url_without_server")
    /// A backend whose establishment databases this build does not have.
}

// MARK: - `bundle.`

extension ProblemCode {
    /// Writing the bundle failed (disk full, size limit…): the system's reason.
    public static let bundleCannotWrite = ProblemCode(rawValue: "bundle.cannot_write")
    /// A file changed while it was exported.
    public static let bundleFileChanged = ProblemCode(rawValue: "bundle.file_changed")
    /// The bundle cannot be opened: unsafe, missing or damaged.
    public static let bundleUnreadable = ProblemCode(rawValue: "bundle.unreadable")
    /// An entry of the ZIP that its manifest does not list (a dump of another export, a stray file).
    public static let bundleUnreferencedEntry = ProblemCode(rawValue: "bundle.unreferenced_entry")
}

// MARK: - `bundle_file_pair.`

extension ProblemCode {
    /// One file given as both the CSV and the ZIP.
    public static let bundleFilePairSameFile = ProblemCode(rawValue: "bundle_file_pair.same_file")
    /// The ZIP where the CSV goes and a text file where the ZIP goes.
    public static let bundleFilePairSwapped = ProblemCode(rawValue: "bundle_file_pair.swapped")
    /// A ZIP where the CSV manifest goes.
    public static let bundleFilePairZIPInsteadOfManifest = ProblemCode(
        rawValue: "bundle_file_pair.zip_instead_of_manifest")
}

// MARK: - `bundle_read.`

extension ProblemCode {
    /// An entry that does not inflate or fails its checksum.
    public static let bundleReadDamagedEntry = ProblemCode(rawValue: "bundle_read.damaged_entry")
    /// `manifest.json` does not decode.
    public static let bundleReadInvalidManifest = ProblemCode(rawValue: "bundle_read.invalid_manifest")
    /// The ZIP's structure is refused: why, in words.
    public static let bundleReadMalformed = ProblemCode(rawValue: "bundle_read.malformed")
    /// The bundle's file does not exist.
    public static let bundleReadMissing = ProblemCode(rawValue: "bundle_read.missing")
    /// An entry the manifest lists is not in the ZIP.
    public static let bundleReadMissingEntry = ProblemCode(rawValue: "bundle_read.missing_entry")
    /// A bundle written by a newer Transfert (its format number given).
    public static let bundleReadNewerFormat = ProblemCode(rawValue: "bundle_read.newer_format")
    /// The ZIP has no `manifest.json`.
    public static let bundleReadNoManifest = ProblemCode(rawValue: "bundle_read.no_manifest")
    /// The file is not a ZIP archive.
    public static let bundleReadNotAZIP = ProblemCode(rawValue: "bundle_read.not_a_zip")
    /// The bundle cannot be read: every reason listed.
    public static let bundleReadUnreadable = ProblemCode(rawValue: "bundle_read.unreadable")
    /// Entries with unsafe names, encryption or sizes: every one listed.
    public static let bundleReadUnsafe = ProblemCode(rawValue: "bundle_read.unsafe")
}

// MARK: - `calendar_date.`

extension ProblemCode {
    /// A date that is not a day of the calendar (YYYY-MM-DD).
    public static let calendarDateInvalid = ProblemCode(rawValue: "calendar_date.invalid")
}

// MARK: - `configuration.`

extension ProblemCode {
    /// `transfert.yaml` does not decode.
    public static let configurationInvalid = ProblemCode(rawValue: "configuration.invalid")
    /// A key of `transfert.yaml` with a value that is not allowed (file, field, value).
    public static let configurationInvalidValue = ProblemCode(rawValue: "configuration.invalid_value")
    /// `transfert.yaml` is not YAML (line, column).
    public static let configurationSyntax = ProblemCode(rawValue: "configuration.syntax")
    /// `transfert.yaml` cannot be read.
    public static let configurationUnreadable = ProblemCode(rawValue: "configuration.unreadable")
}

// MARK: - `copy_text.`

extension ProblemCode {
    /// A value a PostgreSQL column cannot keep as SQLite would (a type it does not hold, NUL in text): table, column, row.
    public static let copyTextRefusedValue = ProblemCode(rawValue: "copy_text.refused_value")
}

// MARK: - `csv.`

extension ProblemCode {
    /// A CSV row naming a dump the ZIP does not hold.
    public static let csvDumpNotInZIP = ProblemCode(rawValue: "csv.dump_not_in_zip")
    /// A CSV with no establishment.
    public static let csvEmpty = ProblemCode(rawValue: "csv.empty")
    /// A CSV cell whose value breaks a rule (line, column, value).
    public static let csvInvalidValue = ProblemCode(rawValue: "csv.invalid_value")
    /// A CSV cell contradicting the ZIP's manifest (line, column, value).
    public static let csvMismatch = ProblemCode(rawValue: "csv.mismatch")
    /// A dump of the ZIP no CSV row names.
    public static let csvNoDumpNamed = ProblemCode(rawValue: "csv.no_dump_named")
    /// A CSV value that must be unique is repeated (line, column, value).
    public static let csvRepeated = ProblemCode(rawValue: "csv.repeated")
    /// A CSV cell that is required is empty (line, column).
    public static let csvRequired = ProblemCode(rawValue: "csv.required")
    /// The CSV is not CSV (a quote left open…): line and character.
    public static let csvSyntax = ProblemCode(rawValue: "csv.syntax")
    /// The CSV cannot be read (line, column or character).
    public static let csvUnreadable = ProblemCode(rawValue: "csv.unreadable")
}

// MARK: - `digest.`

extension ProblemCode {
    /// A table of the bundle missing from the database it is compared with (`field`: the table).
    public static let digestMissingTable = ProblemCode(rawValue: "digest.missing_table")
    /// A table with another number of rows than the bundle's (`field`: the table).
    public static let digestRowCount = ProblemCode(rawValue: "digest.row_count")
    /// A table with the bundle's rows but another content digest (`field`: the table).
    public static let digestContent = ProblemCode(rawValue: "digest.content")
    /// A table in the database that the bundle does not have (`field`: the table).
    public static let digestUnexpectedTable = ProblemCode(rawValue: "digest.unexpected_table")
    /// An upload of the bundle missing from the files compared (`file`: the upload).
    public static let digestMissingFile = ProblemCode(rawValue: "digest.missing_file")
    /// An upload whose size or SHA-256 differs from the bundle's (`file`: the upload).
    public static let digestFileDiffers = ProblemCode(rawValue: "digest.file_differs")
    /// A file among the uploads that the bundle does not have (`file`: the upload).
    public static let digestUnexpectedFile = ProblemCode(rawValue: "digest.unexpected_file")
}

// MARK: - `disk.`

extension ProblemCode {
    /// Not enough free disk space, asked before anything is written (`file` is the directory).
    public static let diskInsufficientSpace = ProblemCode(rawValue: "disk.insufficient_space")
}

// MARK: - `dns_server_address.`

extension ProblemCode {
    /// A DNS server address (`dns_servers`) that is not an IP address.
    public static let dnsServerAddressInvalid = ProblemCode(rawValue: "dns_server_address.invalid")
}

// MARK: - `doctor.`

extension ProblemCode {
    /// An establishment whose creation stopped before the end (`doctor`): remove it, then add or import it again.
    public static let doctorHalfCreated = ProblemCode(rawValue: "doctor.half_created")
    /// A database that belongs to no registered establishment (`doctor`).
    public static let doctorOrphanDatabase = ProblemCode(rawValue: "doctor.orphan_database")
    /// The old copy of an establishment confirmed as moved away (`doctor`).
    public static let doctorMovedCopy = ProblemCode(rawValue: "doctor.moved_copy")
    /// A `files/` directory that belongs to no registered establishment (`doctor`).
    public static let doctorOrphanFiles = ProblemCode(rawValue: "doctor.orphan_files")
    /// `webmaster.email` is a placeholder: letters would not be sent (`doctor`).
    public static let doctorPlaceholderSender = ProblemCode(rawValue: "doctor.placeholder_sender")
}

// MARK: - `dump.`

extension ProblemCode {
    /// An export stopped by Ctrl-C or SIGTERM.
    public static let dumpInterrupted = ProblemCode(rawValue: "dump.interrupted")
    /// A statement the archive format does not allow: `file` (the entry), `line`, `column`.
    public static let dumpRefused = ProblemCode(rawValue: "dump.refused")
    /// A dumped value MySQL's strict mode would refuse (SACoche bundles).
    public static let dumpValueRefused = ProblemCode(rawValue: "dump.value_refused")
}

// MARK: - `email_address.`

extension ProblemCode {
    /// An e-mail address that is not one.
    public static let emailAddressMalformed = ProblemCode(rawValue: "email_address.malformed")
}

// MARK: - `establishment_store.`

extension ProblemCode {
    /// An establishment's database already exists.
    public static let establishmentStoreAlreadyExists = ProblemCode(rawValue: "establishment_store.already_exists")
    /// An establishment's database is missing.
    public static let establishmentStoreMissing = ProblemCode(rawValue: "establishment_store.missing")
    /// The database could not grow: disk full, file-size limit or quota.
    public static let establishmentStoreStorageFull = ProblemCode(rawValue: "establishment_store.storage_full")
}

// MARK: - `export.`

extension ProblemCode {
    /// `export` with no establishment selected.
    public static let exportEmptySelection = ProblemCode(rawValue: "export.empty_selection")
    /// An establishment could not be exported: its id and the reason.
    public static let exportEstablishmentFailed = ProblemCode(rawValue: "export.establishment_failed")
    /// Establishments confirmed as living elsewhere: their data here is the old copy.
    public static let exportMoved = ProblemCode(rawValue: "export.moved")
    /// The `--out` directory cannot be written.
    public static let exportOutputNotWritable = ProblemCode(rawValue: "export.output_not_writable")
}

// MARK: - `file.`

extension ProblemCode {
    /// A file could not be written whole (the system's reason given).
    public static let fileUnwritable = ProblemCode(rawValue: "file.unwritable")
}

// MARK: - `file_restore.`

extension ProblemCode {
    /// An upload that cannot be written.
    public static let fileRestoreCannotWrite = ProblemCode(rawValue: "file_restore.cannot_write")
    /// An upload's destination already exists.
    public static let fileRestoreExists = ProblemCode(rawValue: "file_restore.exists")
    /// An upload with an unsafe name.
    public static let fileRestoreUnsafe = ProblemCode(rawValue: "file_restore.unsafe")
}

// MARK: - `hosting.`

extension ProblemCode {
    /// `init` in a directory that already holds a hosting.
    public static let hostingAlreadyInitialised = ProblemCode(rawValue: "hosting.already_initialised")
}

// MARK: - `hosting_location.`

extension ProblemCode {
    /// `HostingLocationError.noHosting`.
    public static let hostingLocationNoHosting = ProblemCode(rawValue: "hosting_location.no_hosting")
}

// MARK: - `import.`

extension ProblemCode {
    /// The ids could not be claimed in the registry.
    public static let importClaimFailed = ProblemCode(rawValue: "import.claim_failed")
    /// An establishment whose import failed: the reason.
    public static let importFailed = ProblemCode(rawValue: "import.failed")
    /// An import stopped by Ctrl-C or SIGTERM.
    public static let importInterrupted = ProblemCode(rawValue: "import.interrupted")
    /// An import refused before any data: every problem of every row listed.
    public static let importInvalid = ProblemCode(rawValue: "import.invalid")
    /// This server lacks the application, a schema version or a zone the bundle needs.
    public static let importPrerequisites = ProblemCode(rawValue: "import.prerequisites")
    /// A bundle of a schema version this server does not have.
    public static let importSchemaVersion = ProblemCode(rawValue: "import.schema_version")
    /// A bundle of another application.
    public static let importWrongApplication = ProblemCode(rawValue: "import.wrong_application")
}

// MARK: - `letter_selection.`

extension ProblemCode {
    /// Establishments that cannot get a letter, every reason listed.
    public static let letterSelectionInvalid = ProblemCode(rawValue: "letter_selection.invalid")
    /// An id given to `letters` that no establishment of this hosting has.
    public static let letterSelectionUnknownEstablishment = ProblemCode(
        rawValue: "letter_selection.unknown_establishment")
    /// An establishment still being imported: no letter yet.
    public static let letterSelectionImporting = ProblemCode(rawValue: "letter_selection.importing")
    /// An import result row whose `Id_Import` is not an establishment id (line, value).
    public static let letterSelectionInvalidID = ProblemCode(rawValue: "letter_selection.invalid_id")
    /// An import result row naming an establishment that here has another GUID (line, value).
    public static let letterSelectionOtherEstablishment = ProblemCode(rawValue: "letter_selection.other_establishment")
    /// An import result file that cannot be read as one (missing, header, CSV syntax).
    public static let letterSelectionUnreadableResult = ProblemCode(rawValue: "letter_selection.unreadable_result")
    /// An establishment without the maintenance window its letter announces.
    public static let letterSelectionNoWindow = ProblemCode(rawValue: "letter_selection.no_window")
}

// MARK: - `letters.`

extension ProblemCode {
    /// A language letters are not written in.
    public static let lettersUnknownLanguage = ProblemCode(rawValue: "letters.unknown_language")
}

// MARK: - `load_data.`

extension ProblemCode {
    /// An infinite floating-point value MariaDB cannot store.
    public static let loadDataInfinite = ProblemCode(rawValue: "load_data.infinite")
}

// MARK: - `lock.`

extension ProblemCode {
    /// `LockError.locked`.
    public static let lockLocked = ProblemCode(rawValue: "lock.locked")
}

// MARK: - `manifest.`

extension ProblemCode {
    /// A value of `manifest.json` out of range or not the format's: establishment, field, value.
    public static let manifestInvalidValue = ProblemCode(rawValue: "manifest.invalid_value")
}

// MARK: - `mariadb.`

extension ProblemCode {
    /// `init --backend mariadb` could not create the registry database or its user.
    public static let mariadbProvisioning = ProblemCode(rawValue: "mariadb.provisioning")
    /// The MariaDB server refused a statement (its error number and SQLSTATE in the message).
    public static let mariadbServer = ProblemCode(rawValue: "mariadb.server")
}

// MARK: - `mariadb_settings.`

extension ProblemCode {
    /// A `--database-url` or `database:` setting that is not valid.
    public static let mariadbSettingsInvalid = ProblemCode(rawValue: "mariadb_settings.invalid")
    /// A password written in the database URL (use `--password-file`).
    public static let mariadbSettingsPasswordInURL = ProblemCode(rawValue: "mariadb_settings.password_in_url")
}

// MARK: - `postgresql.`

extension ProblemCode {
    /// `init --backend postgres` could not create the registry database, or the role lacks a privilege.
    public static let postgresqlProvisioning = ProblemCode(rawValue: "postgresql.provisioning")
    /// The PostgreSQL server refused a statement or a connection (its SQLSTATE in the message).
    public static let postgresqlServer = ProblemCode(rawValue: "postgresql.server")
}

// MARK: - `postgresql_settings.`

extension ProblemCode {
    /// A PostgreSQL `--database-url` or `database:` setting that is not valid.
    public static let postgresqlSettingsInvalid = ProblemCode(rawValue: "postgresql_settings.invalid")
    /// A password written in the PostgreSQL database URL (use `--password-file`).
    public static let postgresqlSettingsPasswordInURL = ProblemCode(rawValue: "postgresql_settings.password_in_url")
}

// MARK: - `mysql.`

extension ProblemCode {
    /// A MySQL `CREATE TABLE` that does not parse.
    public static let mysqlSyntax = ProblemCode(rawValue: "mysql.syntax")
}

// MARK: - `outbox.`

extension ProblemCode {
    /// Another `outbox send` is running.
    public static let outboxBusy = ProblemCode(rawValue: "outbox.busy")
    /// Letters the relay refused (exit code 3).
    public static let outboxRefused = ProblemCode(rawValue: "outbox.refused")
    /// No letter of the outbox has this number.
    public static let outboxUnknownMessage = ProblemCode(rawValue: "outbox.unknown_message")
    /// A letter of the outbox cannot be read.
    public static let outboxUnreadable = ProblemCode(rawValue: "outbox.unreadable")
    /// A letter cannot be written to the outbox.
    public static let outboxUnwritable = ProblemCode(rawValue: "outbox.unwritable")
}

// MARK: - `outbox_send.`

extension ProblemCode {
    /// `transfert.yaml` cannot be used to send.
    public static let outboxSendConfiguration = ProblemCode(rawValue: "outbox_send.configuration")
    /// No `smtp:` relay in `transfert.yaml`.
    public static let outboxSendNoRelay = ProblemCode(rawValue: "outbox_send.no_relay")
    /// Letters written while the sender was a placeholder.
    public static let outboxSendPlaceholderInLetters = ProblemCode(rawValue: "outbox_send.placeholder_in_letters")
    /// `webmaster.email` is a placeholder: nothing is sent from it.
    public static let outboxSendPlaceholderSender = ProblemCode(rawValue: "outbox_send.placeholder_sender")
    /// The relay refuses the configuration (authentication, TLS): nothing was sent.
    public static let outboxSendRelayRefusesConfiguration = ProblemCode(
        rawValue: "outbox_send.relay_refuses_configuration")
    /// The relay cannot be reached: nothing was sent.
    public static let outboxSendRelayUnreachable = ProblemCode(rawValue: "outbox_send.relay_unreachable")
}

// MARK: - `receipt.`

extension ProblemCode {
    /// A field of a receipt that is not what a target writes (`field`: its path in the receipt).
    public static let receiptInvalidField = ProblemCode(rawValue: "receipt.invalid_field")
    /// An establishment of the receipt already confirmed as moved elsewhere.
    public static let receiptAlreadyMoved = ProblemCode(rawValue: "receipt.already_moved")
    /// An establishment of the receipt that was not in the bundle exported here.
    public static let receiptNotInBundle = ProblemCode(rawValue: "receipt.not_in_bundle")
    /// An establishment of the receipt under another id than the one it was exported or is hosted with.
    public static let receiptOtherID = ProblemCode(rawValue: "receipt.other_id")
    /// An establishment whose export recorded no digests (exported before receipts existed).
    public static let receiptNoDigests = ProblemCode(rawValue: "receipt.no_digests")
}

// MARK: - `registry.`

extension ProblemCode {
    /// A registry row no version of Transfert writes (edited by hand).
    public static let registryCorruptRow = ProblemCode(rawValue: "registry.corrupt_row")
    /// An establishment id already registered.
    public static let registryDuplicateBaseID = ProblemCode(rawValue: "registry.duplicate_base_id")
    /// A GUID another establishment of this hosting has.
    public static let registryDuplicateGUID = ProblemCode(rawValue: "registry.duplicate_guid")
    /// A UAI another establishment of this hosting has.
    public static let registryDuplicateUAI = ProblemCode(rawValue: "registry.duplicate_uai")
    /// No id is left above the largest registered one.
    public static let registryNoFreeIDAbove = ProblemCode(rawValue: "registry.no_free_id_above")
    /// No registry here: run `transfert init` first.
    public static let registryNotInitialised = ProblemCode(rawValue: "registry.not_initialised")
    /// No establishment has this id.
    public static let registryUnknownStructure = ProblemCode(rawValue: "registry.unknown_structure")
    /// No zone has this id.
    public static let registryUnknownZone = ProblemCode(rawValue: "registry.unknown_zone")
}

// MARK: - `restore.`

extension ProblemCode {
    /// A table read back differs from the export's digest.
    public static let restoreDigestMismatch = ProblemCode(rawValue: "restore.digest_mismatch")
    /// The restore could not complete: the reason.
    public static let restoreFailed = ProblemCode(rawValue: "restore.failed")
    /// A row whose parent is missing (table, row, key).
    public static let restoreForeignKey = ProblemCode(rawValue: "restore.foreign_key")
    /// The database engine's integrity check failed.
    public static let restoreIntegrity = ProblemCode(rawValue: "restore.integrity")
    /// A restored value MySQL's strict mode would refuse or change.
    public static let restoreMySQLValue = ProblemCode(rawValue: "restore.mysql_value")
}

// MARK: - `sacoche_bundle.`

extension ProblemCode {
    /// A SACoche base's SQL file is larger than the limit.
    public static let sacocheBundleFileTooLarge = ProblemCode(rawValue: "sacoche_bundle.file_too_large")
    /// A SACoche base's inner file is not a ZIP.
    public static let sacocheBundleInnerNotAZIP = ProblemCode(rawValue: "sacoche_bundle.inner_not_a_zip")
    /// A SACoche base named in the CSV is not in the outer ZIP.
    public static let sacocheBundleMissingInnerZIP = ProblemCode(rawValue: "sacoche_bundle.missing_inner_zip")
    /// A SACoche `CREATE TABLE` that does not parse.
    public static let sacocheBundleRefused = ProblemCode(rawValue: "sacoche_bundle.refused")
    /// A SACoche base's inner ZIP is unsafe: every problem listed.
    public static let sacocheBundleUnsafeInnerZIP = ProblemCode(rawValue: "sacoche_bundle.unsafe_inner_zip")
    /// Values a MySQL server in strict mode would refuse or change, each with its place.
    public static let sacocheBundleValuesRefused = ProblemCode(rawValue: "sacoche_bundle.values_refused")
    /// An entry of a SACoche bundle that is not a base's ZIP (SACoche's importer would ignore or misread it).
    public static let sacocheBundleUnexpectedEntry = ProblemCode(rawValue: "sacoche_bundle.unexpected_entry")
}

// MARK: - `sacoche_export.`

extension ProblemCode {
    /// Something SACoche's format cannot carry (named).
    public static let sacocheExportCannotCarry = ProblemCode(rawValue: "sacoche_export.cannot_carry")
    /// A value with a line break, which SACoche's CSV cannot carry.
    public static let sacocheExportLineBreak = ProblemCode(rawValue: "sacoche_export.line_break")
    /// `export --format sacoche` of a table without MySQL's definition.
    public static let sacocheExportNotMySQL = ProblemCode(rawValue: "sacoche_export.not_mysql")
    /// `export --format sacoche` of a table that is not SACoche's.
    public static let sacocheExportNotSACocheTable = ProblemCode(rawValue: "sacoche_export.not_sacoche_table")
    /// A value with a semicolon, which SACoche's CSV cannot carry.
    public static let sacocheExportSemicolon = ProblemCode(rawValue: "sacoche_export.semicolon")
    /// Values SACoche's MariaDB in strict mode would refuse or store changed.
    public static let sacocheExportValuesRefused = ProblemCode(rawValue: "sacoche_export.values_refused")
}

// MARK: - `safe_deletion.`

extension ProblemCode {
    /// `structure remove` without a receipt or a verified bundle proving the establishments were moved.
    public static let safeDeletionNotVerified = ProblemCode(rawValue: "safe_deletion.not_verified")
    /// `structure remove --verified-by`: an establishment the bundle does not hold.
    public static let safeDeletionNotInBundle = ProblemCode(rawValue: "safe_deletion.not_in_bundle")
    /// `structure remove --verified-by`: an establishment in the ZIP but not in the CSV.
    public static let safeDeletionNotInCSV = ProblemCode(rawValue: "safe_deletion.not_in_csv")
    /// `structure remove --verified-by`: an establishment whose verification failed (its problems named).
    public static let safeDeletionVerificationFailed = ProblemCode(rawValue: "safe_deletion.verification_failed")
    /// `structure remove`: an establishment without a confirmed move.
    public static let safeDeletionNoConfirmedMove = ProblemCode(rawValue: "safe_deletion.no_confirmed_move")
}

// MARK: - `sample.`

extension ProblemCode {
    /// `sample` with a profile that lacks the tables it fills.
    public static let sampleProfile = ProblemCode(rawValue: "sample.profile")
}

// MARK: - `schema.`

extension ProblemCode {
    /// A schema script (profile, dump) refused: its statement named.
    public static let schemaScript = ProblemCode(rawValue: "schema.script")
    /// SQL DDL that does not parse.
    public static let schemaSyntax = ProblemCode(rawValue: "schema.syntax")
    /// A database object the archive format cannot carry (export refused).
    public static let schemaUnreadable = ProblemCode(rawValue: "schema.unreadable")
    /// A table, column constraint, index, view or trigger expected but missing (`field`: the table or object).
    public static let schemaMissingObject = ProblemCode(rawValue: "schema.missing_object")
    /// A table, constraint, index, view or trigger present but not expected (`field`: the table or object).
    public static let schemaUnexpectedObject = ProblemCode(rawValue: "schema.unexpected_object")
    /// An object declared otherwise than expected: columns, types, options (`field`: the table or object).
    public static let schemaDifferent = ProblemCode(rawValue: "schema.different")
}

// MARK: - `smtp_client.`

extension ProblemCode {
    /// Libcurl could not be started.
    public static let smtpClientLibcurlUnavailable = ProblemCode(rawValue: "smtp_client.libcurl_unavailable")
    /// Libcurl refused the relay's settings.
    public static let smtpClientSetup = ProblemCode(rawValue: "smtp_client.setup")
}

// MARK: - `source.`

extension ProblemCode {
    /// `--against-source`: the live establishment changed since the export.
    public static let sourceChanged = ProblemCode(rawValue: "source.changed")
    /// `--against-source`: the live establishment cannot be read.
    public static let sourceUnreadable = ProblemCode(rawValue: "source.unreadable")
}

// MARK: - `structure.`

extension ProblemCode {
    /// An establishment's fields break the rules (`structure add`): every problem listed.
    public static let structureInvalid = ProblemCode(rawValue: "structure.invalid")
    /// A field of `structure add` that breaks a rule (a UAI, an address, a zone, an id): the field named.
    public static let structureInvalidValue = ProblemCode(rawValue: "structure.invalid_value")
    /// A required field of `structure add` left empty.
    public static let structureRequired = ProblemCode(rawValue: "structure.required")
    /// A UAI, id or GUID `structure add` was given that is already taken here.
    public static let structureTaken = ProblemCode(rawValue: "structure.taken")
}

// MARK: - `template.`

extension ProblemCode {
    /// A letter template that does not render (file, line).
    public static let templateInvalid = ProblemCode(rawValue: "template.invalid")
}

// MARK: - `uai.`

extension ProblemCode {
    /// A UAI that is not 7 digits and a letter.
    public static let uaiMalformed = ProblemCode(rawValue: "uai.malformed")
    /// A UAI whose check letter does not match its digits.
    public static let uaiWrongCheckLetter = ProblemCode(rawValue: "uai.wrong_check_letter")
}

// MARK: - `verify.`

extension ProblemCode {
    /// `verify --against-source` without a hosting.
    public static let verifyNoHosting = ProblemCode(rawValue: "verify.no_hosting")
    /// `verify --deep` could not create a scratch database.
    public static let verifyNoScratchDatabase = ProblemCode(rawValue: "verify.no_scratch_database")
    /// `verify`: the bundle does not prove the establishments can be restored (exit code 2).
    public static let verifyNotVerified = ProblemCode(rawValue: "verify.not_verified")
}

// MARK: - `zip.`

extension ProblemCode {
    /// A ZIP's structure is refused (end records, central directory, local headers).
    public static let zipMalformed = ProblemCode(rawValue: "zip.malformed")
    /// An entry named twice, or the same name in two Unicode forms (`file`: the entry).
    public static let zipAmbiguousName = ProblemCode(rawValue: "zip.ambiguous_name")
    /// An entry name that could escape its directory: absolute, `..`, a backslash, a control character.
    public static let zipUnsafeName = ProblemCode(rawValue: "zip.unsafe_name")
    /// An entry that is a symbolic link.
    public static let zipSymlink = ProblemCode(rawValue: "zip.symlink")
    /// An entry flagged as encrypted.
    public static let zipEncrypted = ProblemCode(rawValue: "zip.encrypted")
    /// An entry compressed otherwise than stored (0) or deflated (8).
    public static let zipUnsupportedMethod = ProblemCode(rawValue: "zip.unsupported_method")
    /// An entry declaring more bytes than the per-entry limit.
    public static let zipEntryTooLarge = ProblemCode(rawValue: "zip.entry_too_large")
    /// An entry, or the whole archive, inflating beyond the ratio limits: a possible zip bomb.
    public static let zipBomb = ProblemCode(rawValue: "zip.bomb")
}

// MARK: - Content selection and anonymised copies

extension ProblemCode {
    /// A content selection (`--without`, `--only`, `--anonymise`) that cannot be made: the message says why.
    public static let contentSelection = ProblemCode(rawValue: "content.selection")
    /// An anonymised bundle used where only the original will do (an import that is not a copy, letters).
    public static let contentAnonymised = ProblemCode(rawValue: "content.anonymised")
}

// MARK: - Backups

extension ProblemCode {
    /// Another `backup run` holds the backup lock: this one did not start.
    public static let backupRunInProgress = ProblemCode(rawValue: "backup.run_in_progress")
    /// The backup of an establishment failed (the others went on).
    public static let backupFailed = ProblemCode(rawValue: "backup.failed")
    /// No backup has this name, or the backup directory cannot be used.
    public static let backupUnknown = ProblemCode(rawValue: "backup.unknown")
}

// MARK: - Restoring into an establishment

extension ProblemCode {
    /// A restore that cannot be made as asked: the message says why and nothing was changed.
    public static let restoreRefused = ProblemCode(rawValue: "restore.refused")
    /// A merge that would duplicate or contradict existing rows (`--merge-users never`, a conflicting key).
    public static let restoreMergeConflict = ProblemCode(rawValue: "restore.merge_conflict")
}

// MARK: - SIS feeds

extension ProblemCode {
    /// A feed file that cannot be read (no such file, a directory, a read error): nothing was applied.
    public static let feedUnreadable = ProblemCode(rawValue: "feed.unreadable")
    /// A feed file without a header line: nothing was applied, nothing disabled.
    public static let feedEmpty = ProblemCode(rawValue: "feed.empty")
    /// A feed file's header is wrong (delimiter, missing, unknown or repeated column): nothing was applied.
    public static let feedHeader = ProblemCode(rawValue: "feed.header")
    /// A feed file's bytes are wrong (invalid UTF-8, UTF-16, a line too long): nothing was applied.
    public static let feedMalformed = ProblemCode(rawValue: "feed.malformed")
    /// Two rows of one feed file for the same membership: the file is refused, naming both lines.
    public static let feedDuplicateRecord = ProblemCode(rawValue: "feed.duplicate_record")
    /// A row of a feed that failed (its line, field and reason); the other rows were applied.
    public static let feedRowFailed = ProblemCode(rawValue: "feed.row_failed")
    /// A refresh that would disable more than `feeds.max_disable_ratio` of the integration's records.
    public static let feedMassDisable = ProblemCode(rawValue: "feed.mass_disable")
    /// A feed that cannot run here: no `feeds:` mapping in the profile, an establishment moved or absent.
    public static let feedRefused = ProblemCode(rawValue: "feed.refused")
}

// MARK: - The webmaster's console

extension ProblemCode {
    /// A console user name or password that cannot be used (the message says which rule).
    public static let consoleInvalidAccount = ProblemCode(rawValue: "console.invalid_account")
    /// A console user of that name exists already.
    public static let consoleAccountExists = ProblemCode(rawValue: "console.account_exists")
    /// No console user has that name.
    public static let consoleUnknownAccount = ProblemCode(rawValue: "console.unknown_account")
    /// The console's users file cannot be read or written (the file and the reason are named).
    public static let consoleAccountsUnreadable = ProblemCode(rawValue: "console.accounts_unreadable")
}
