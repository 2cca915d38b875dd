import Foundation
import TransfertFormats
import TransfertModel

extension RegistryMigration {
    /// Every registry schema change, in order, for every engine. The first nine carry the identifiers of
    /// the SQLite registry's GRDB migrations; ``FormerMigrationHistory`` maps older records onto them.
    package static let all: [RegistryMigration] = [
        RegistryMigration(
            "v1: zones, structures, hosting metadata",
            [
                .createTable(
                    RegistryTable(
                        "hosting_meta",
                        columns: [
                            RegistryColumn("key", .text(maxCharacters: 64)), RegistryColumn("value", .longText),
                        ], primaryKey: ["key"])),
                .createTable(
                    RegistryTable(
                        "zone", autoIncrementID: "id",
                        columns: [
                            RegistryColumn("id", .integer), RegistryColumn("name", .text(maxCharacters: 255)),
                        ])),
                .createTable(
                    RegistryTable(
                        "structure",
                        columns: [
                            RegistryColumn("base_id", .integer),
                            RegistryColumn("guid", .text(maxCharacters: 36), unique: true),
                            RegistryColumn("zone_id", .integer),
                            .optional("uai", .text(maxCharacters: 16), unique: true),
                            RegistryColumn("localisation", .text(maxCharacters: 255)),
                            RegistryColumn("denomination", .text(maxCharacters: 255)),
                            RegistryColumn("contact_nom", .text(maxCharacters: 255)),
                            RegistryColumn("contact_prenom", .text(maxCharacters: 255)),
                            RegistryColumn("contact_courriel", .text(maxCharacters: 320)),
                            RegistryColumn("inscription_date", .text(maxCharacters: 10)),
                            RegistryColumn("status", .text(maxCharacters: 16), default: .text("active")),
                        ], primaryKey: ["base_id"],
                        foreignKeys: [RegistryForeignKey("zone_id", references: "zone", "id")],
                        indexes: [RegistryIndex("structure_zone", on: ["zone_id"])])),
                .statement { dialect in
                    (
                        "INSERT INTO hosting_meta (\(dialect.quote("key")), value) VALUES ('fingerprint', ?)",
                        [.text(UUID().uuidString.lowercased())]
                    )
                },
            ]),
        RegistryMigration(
            "v2: structure locks",
            [
                .createTable(
                    RegistryTable(
                        "structure_lock",
                        columns: [
                            RegistryColumn("base_id", .integer), RegistryColumn("kind", .text(maxCharacters: 16)),
                            RegistryColumn("message", .longText),
                            .optional("owner_pid", .int32), .optional("owner_host", .text(maxCharacters: 255)),
                            RegistryColumn("created_at", .text(maxCharacters: 32)),
                        ], primaryKey: ["base_id"]))
            ]),
        RegistryMigration(
            "v3: transfer journal",
            [
                .createTable(
                    RegistryTable(
                        "transfer_journal", autoIncrementID: "id",
                        columns: [
                            RegistryColumn("id", .integer), RegistryColumn("at", .text(maxCharacters: 32)),
                            RegistryColumn("event", .text(maxCharacters: 32)),
                            RegistryColumn("guid", .text(maxCharacters: 36)), RegistryColumn("base_id", .integer),
                            RegistryColumn("denomination", .text(maxCharacters: 255)),
                            .optional("source_server", .text(maxCharacters: 255)),
                            .optional("source_fingerprint", .text(maxCharacters: 64)),
                            .optional("source_base_id", .integer),
                            .optional("bundle", .text(maxCharacters: 255)), .optional("details", .longText),
                        ], indexes: [RegistryIndex("transfer_journal_guid", on: ["guid"])]))
            ]),
        RegistryMigration(
            "v4: import runs",
            [
                .createTable(
                    RegistryTable(
                        "import_run", autoIncrementID: "id",
                        columns: [
                            RegistryColumn("id", .integer), RegistryColumn("bundle", .text(maxCharacters: 255)),
                            RegistryColumn("started_at", .text(maxCharacters: 32)),
                            .optional("finished_at", .text(maxCharacters: 32)),
                            RegistryColumn("complete", .flag, default: .integer(0)),
                        ], indexes: [RegistryIndex("import_run_bundle", on: ["bundle"])]))
            ]),
        RegistryMigration(
            "v5: outbox",
            [
                .createTable(
                    RegistryTable(
                        "outbox_message",
                        columns: [
                            RegistryColumn("file", .text(maxCharacters: 255)),
                            RegistryColumn("kind", .text(maxCharacters: 16)),
                            .optional("base_id", .integer), .optional("guid", .text(maxCharacters: 36)),
                            RegistryColumn("recipient", .text(maxCharacters: 320)),
                            RegistryColumn("subject", .longText),
                            RegistryColumn("message_id", .text(maxCharacters: 255)),
                            RegistryColumn("created_at", .text(maxCharacters: 32)),
                            RegistryColumn("state", .text(maxCharacters: 16), default: .text("pending")),
                            RegistryColumn("attempts", .int32, default: .integer(0)),
                            .optional("last_reply", .longText),
                            .optional("last_attempt_at", .text(maxCharacters: 32)),
                            .optional("sent_at", .text(maxCharacters: 32)),
                        ], primaryKey: ["file"], indexes: [RegistryIndex("outbox_message_state", on: ["state"])]))
            ]),
        // The holder of an automatic lock refreshes it; a lock not refreshed for a minute is stale, whichever
        // host holds it. Existing locks count from their creation.
        RegistryMigration(
            "v6: lock heartbeat",
            [
                .addColumn(table: "structure_lock", .optional("refreshed_at", .text(maxCharacters: 32))),
                .statement { _ in
                    ("UPDATE structure_lock SET refreshed_at = created_at WHERE owner_pid IS NOT NULL", [])
                },
            ]),
        // Locks people set (webmaster, administrator): one per kind and establishment, base_id NULL meaning
        // every establishment. Windows cover listed establishments, or all of them.
        RegistryMigration(
            "v7: access locks and maintenance windows",
            [
                .createTable(
                    RegistryTable(
                        "access_lock", autoIncrementID: "id",
                        columns: [
                            RegistryColumn("id", .integer), RegistryColumn("kind", .text(maxCharacters: 16)),
                            .optional("base_id", .integer),
                            RegistryColumn("reason", .longText), .optional("set_by", .text(maxCharacters: 255)),
                            RegistryColumn("created_at", .text(maxCharacters: 32)),
                        ], uniqueKeysWithNullAsValue: [RegistryIndex("access_lock_scope", on: ["kind", "base_id"])])),
                .createTable(
                    RegistryTable(
                        "maintenance_window", autoIncrementID: "id",
                        columns: [
                            RegistryColumn("id", .integer), RegistryColumn("type", .text(maxCharacters: 16)),
                            RegistryColumn("every_structure", .flag, default: .integer(0)),
                            RegistryColumn("starts_at", .text(maxCharacters: 32)),
                            RegistryColumn("ends_at", .text(maxCharacters: 32)), .optional("message", .longText),
                            RegistryColumn("planned_at", .text(maxCharacters: 32)),
                            RegistryColumn("planned_by", .text(maxCharacters: 255)),
                            .optional("cancelled_at", .text(maxCharacters: 32)),
                        ])),
                .createTable(
                    RegistryTable(
                        "maintenance_window_structure",
                        columns: [
                            RegistryColumn("window_id", .integer), RegistryColumn("base_id", .integer),
                        ], primaryKey: ["window_id", "base_id"],
                        foreignKeys: [
                            RegistryForeignKey(
                                "window_id", references: "maintenance_window", "id", cascadeOnDelete: true)
                        ])),
            ]),
        // The journal records where an establishment went (target server, id there), the bundle's SHA-256
        // and the digests a receipt must match, the operator's note and the outcome.
        RegistryMigration(
            "v8: moves, receipts and a fuller journal",
            [
                .addColumn(table: "transfer_journal", .optional("uai", .text(maxCharacters: 16))),
                .addColumn(table: "transfer_journal", .optional("target_server", .text(maxCharacters: 255))),
                .addColumn(table: "transfer_journal", .optional("target_fingerprint", .text(maxCharacters: 64))),
                .addColumn(table: "transfer_journal", .optional("target_base_id", .integer)),
                .addColumn(table: "transfer_journal", .optional("bundle_sha256", .text(maxCharacters: 64))),
                .addColumn(table: "transfer_journal", .optional("digests", .longText)),
                .addColumn(table: "transfer_journal", .optional("note", .longText)),
                .addColumn(table: "transfer_journal", .optional("outcome", .text(maxCharacters: 16))),
                .createIndex(table: "transfer_journal", RegistryIndex("transfer_journal_uai", on: ["uai"])),
                .createIndex(table: "transfer_journal", RegistryIndex("transfer_journal_base_id", on: ["base_id"])),
                .createTable(
                    RegistryTable(
                        "structure_move",
                        columns: [
                            RegistryColumn("base_id", .integer), RegistryColumn("guid", .text(maxCharacters: 36)),
                            RegistryColumn("denomination", .text(maxCharacters: 255)),
                            RegistryColumn("localisation", .text(maxCharacters: 255)),
                            .optional("uai", .text(maxCharacters: 16)),
                            RegistryColumn("target_server", .text(maxCharacters: 255)),
                            RegistryColumn("target_fingerprint", .text(maxCharacters: 64)),
                            RegistryColumn("new_id", .integer),
                            RegistryColumn("access_url", .longText),
                            RegistryColumn("bundle", .text(maxCharacters: 255)),
                            RegistryColumn("receipt_sha256", .text(maxCharacters: 64)),
                            RegistryColumn("confirmed_at", .text(maxCharacters: 32)),
                        ], primaryKey: ["base_id"], indexes: [RegistryIndex("structure_move_guid", on: ["guid"])])),
            ]),
        RegistryMigration(
            "v9: establishments' own letter languages",
            [
                .createTable(
                    RegistryTable(
                        "structure_language",
                        columns: [
                            RegistryColumn("base_id", .integer), RegistryColumn("language", .text(maxCharacters: 8)),
                        ], primaryKey: ["base_id"]))
            ]),
        // `key` is a reserved word of MariaDB, whose registries were created with `meta_key`: the same name
        // everywhere lets the registry's SQL be written once.
        RegistryMigration(
            "v10: hosting metadata keyed by meta_key on every engine",
            [
                .renameColumn(table: "hosting_meta", from: "key", to: "meta_key")
            ]),
        // One row, one number every write transaction raises (``SQLRegistry/write(_:)``,
        // ``SQLRegistry/exclusively(_:)``): a reader that keeps the registry in memory (the portal) reads this
        // number to learn whether anything changed, rather than everything.
        RegistryMigration(
            "v11: registry revision",
            [
                .createTable(
                    RegistryTable(
                        "registry_revision",
                        columns: [RegistryColumn("id", .integer), RegistryColumn("revision", .integer)],
                        primaryKey: ["id"])),
                .statement { _ in ("INSERT INTO registry_revision (id, revision) VALUES (1, 0)", []) },
            ]),
    ]
}
